// The window's split panes: palette and inspector widths and the bottom panel's height, in CSS pixels.
// Clamped so the canvas always keeps room, and remembered per window: each window (a browser tab or an
// Electron window) gets an id in `window.name`, which survives reloads, and its sizes are stored under
// that id; a new window starts from the sizes last used anywhere.

export interface PaneSizes {
  palette: number;
  inspector: number;
  bottom: number;
}

export type Pane = keyof PaneSizes;

export const DEFAULT_SIZES: PaneSizes = { palette: 210, inspector: 300, bottom: 300 };

/** Smallest size of each pane, and what the canvas keeps at least (width and height). */
export const MIN_SIZES: PaneSizes = { palette: 150, inspector: 220, bottom: 120 };
const CANVAS_MIN = { width: 320, height: 160 };
/** Title bar and toolbar above the workspace, plus the bottom panel's tab row. */
const CHROME_HEIGHT = 110;

/** The largest a pane may be in a window of this size, leaving the others and the canvas their room. */
export function maxSize(pane: Pane, sizes: PaneSizes, window: { width: number; height: number }): number {
  if (pane === 'bottom') return Math.max(MIN_SIZES.bottom, window.height - CHROME_HEIGHT - CANVAS_MIN.height);
  const other = pane === 'palette' ? sizes.inspector : sizes.palette;
  return Math.max(MIN_SIZES[pane], window.width - other - CANVAS_MIN.width);
}

export function clampSize(
  pane: Pane,
  value: number,
  sizes: PaneSizes,
  window: { width: number; height: number },
): number {
  if (!Number.isFinite(value)) return DEFAULT_SIZES[pane];
  return Math.round(Math.min(maxSize(pane, sizes, window), Math.max(MIN_SIZES[pane], value)));
}

/** Every pane clamped (a window smaller than when the sizes were saved still shows the canvas). */
export function clampAll(sizes: PaneSizes, window: { width: number; height: number }): PaneSizes {
  const out = { ...sizes };
  for (const pane of ['palette', 'inspector', 'bottom'] as const)
    out[pane] = clampSize(pane, out[pane], out, window);
  return out;
}

const PREFIX = 'rnn-studio.panes.';
const LAST = `${PREFIX}last`;

/** The sizes stored as text, or the defaults for anything missing or malformed. */
export function parseSizes(text: string | null): PaneSizes {
  if (!text) return { ...DEFAULT_SIZES };
  try {
    const raw = JSON.parse(text) as Partial<Record<Pane, unknown>>;
    const pick = (pane: Pane) =>
      typeof raw[pane] === 'number' && Number.isFinite(raw[pane])
        ? (raw[pane] as number)
        : DEFAULT_SIZES[pane];
    return { palette: pick('palette'), inspector: pick('inspector'), bottom: pick('bottom') };
  } catch {
    return { ...DEFAULT_SIZES };
  }
}

export interface SizeStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The sizes this window last had, else those last used anywhere; nothing stored: the bottom panel
 *  takes 36% of the window's height (what it had before it could be resized). */
export function loadSizes(storage: SizeStore, windowId: string, windowHeight?: number): PaneSizes {
  const text = storage.getItem(PREFIX + windowId) ?? storage.getItem(LAST);
  const sizes = parseSizes(text);
  if (!text && windowHeight) sizes.bottom = Math.round(windowHeight * 0.36);
  return sizes;
}

export function saveSizes(storage: SizeStore, windowId: string, sizes: PaneSizes): void {
  const text = JSON.stringify(sizes);
  storage.setItem(PREFIX + windowId, text);
  storage.setItem(LAST, text);
}

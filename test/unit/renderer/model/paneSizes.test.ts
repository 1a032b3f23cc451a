// Split pane sizes: clamped so the canvas keeps room, stored per window, malformed storage ignored.
import { describe, expect, it } from 'vitest';
import {
  clampAll,
  clampSize,
  DEFAULT_SIZES,
  loadSizes,
  MIN_SIZES,
  parseSizes,
  saveSizes,
} from '../../../../renderer/src/model/paneSizes.js';

function memory(): {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  data: Map<string, string>;
} {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('pane sizes', () => {
  const window = { width: 1280, height: 720 };

  it('keeps each pane between its minimum and what leaves the canvas room', () => {
    expect(clampSize('bottom', 50, DEFAULT_SIZES, window)).toBe(MIN_SIZES.bottom);
    expect(clampSize('bottom', 5000, DEFAULT_SIZES, window)).toBe(720 - 110 - 160);
    expect(clampSize('palette', 2000, DEFAULT_SIZES, window)).toBe(1280 - DEFAULT_SIZES.inspector - 320);
    expect(clampSize('inspector', Number.NaN, DEFAULT_SIZES, window)).toBe(DEFAULT_SIZES.inspector);
    expect(clampAll({ palette: 900, inspector: 900, bottom: 900 }, window)).toEqual({
      palette: 150,
      inspector: 810,
      bottom: 450,
    });
  });

  it('remembers sizes per window and starts a new window from the last used', () => {
    const storage = memory();
    expect(loadSizes(storage, 'w1')).toEqual(DEFAULT_SIZES);
    saveSizes(storage, 'w1', { palette: 200, inspector: 320, bottom: 400 });
    saveSizes(storage, 'w2', { palette: 180, inspector: 260, bottom: 200 });
    expect(loadSizes(storage, 'w1')).toEqual({ palette: 200, inspector: 320, bottom: 400 });
    expect(loadSizes(storage, 'w3')).toEqual({ palette: 180, inspector: 260, bottom: 200 });
    expect(parseSizes('{"bottom": "tall", "palette": 190}')).toEqual({ ...DEFAULT_SIZES, palette: 190 });
    expect(parseSizes('not json')).toEqual(DEFAULT_SIZES);
  });
});

describe('first start', () => {
  it('gives the bottom panel 36% of the window when nothing is stored', () => {
    const storage = { getItem: () => null, setItem: () => undefined };
    expect(loadSizes(storage, 'w', 720).bottom).toBe(259);
  });
});

import { describe, expect, it } from 'vitest';
// zrender is what ECharts' colour bar interpolates with: the image's colours must be the bar's colours.
import { fastLerp, parse } from 'zrender/lib/tool/color.js';
import { heatmapCells, matrixFromRows, valueRange } from '../../../../renderer/src/charts/heatmapData.js';
import {
  cellAt,
  colorAt,
  cellText,
  HEATMAP_COLORS,
  paintCells,
  parseHex,
  textColorOn,
  writeCellValues,
} from '../../../../renderer/src/charts/heatmapImage.js';

const pixel = (pixels: Uint8ClampedArray, i: number) => [...pixels.slice(i * 4, i * 4 + 4)];

describe('heatmap image', () => {
  it('interpolates the colour bar exactly as ECharts (zrender fastLerp) does', () => {
    const stops = HEATMAP_COLORS.map(parseHex);
    const zrStops = HEATMAP_COLORS.map((c) => parse(c)!);
    for (let k = 0; k <= 200; k++) {
      const t = k / 200;
      expect(colorAt(stops, t), `t=${t}`).toEqual(fastLerp(t, zrStops)!.slice(0, 3));
    }
  });

  it('paints one pixel per cell, row-major, lo with the first stop and hi with the last', () => {
    const m = matrixFromRows([
      [0, 1],
      [0.5, NaN],
    ]);
    const pixels = paintCells(m, { lo: 0, hi: 1 });
    expect(pixels).toHaveLength(2 * 2 * 4);
    expect(pixel(pixels, 0)).toEqual([...parseHex(HEATMAP_COLORS[0]!), 255]);
    expect(pixel(pixels, 1)).toEqual([...parseHex(HEATMAP_COLORS[4]!), 255]);
    expect(pixel(pixels, 2)).toEqual([...parseHex(HEATMAP_COLORS[2]!), 255]); // 0.5 = the middle stop
    expect(pixel(pixels, 3)).toEqual([0, 0, 0, 0]); // missing cell: background shows through
  });

  it('any value is within one unit of 255 of the exact colour-bar colour', () => {
    const values = Float64Array.from({ length: 997 }, (_, i) => i / 996);
    const pixels = paintCells({ rows: 1, cols: values.length, values }, { lo: 0, hi: 1 });
    const stops = HEATMAP_COLORS.map(parseHex);
    values.forEach((v, i) => {
      const exact = colorAt(stops, v);
      for (let ch = 0; ch < 3; ch++)
        expect(Math.abs(pixels[i * 4 + ch]! - exact[ch]!), `value ${v}`).toBeLessThanOrEqual(1);
    });
  });

  it('log colour: log10 of the value, zero and negative norms left out (as the cell list did)', () => {
    const m = matrixFromRows([[1, 10, 100, 0, -1]]);
    const { min, max } = valueRange(m, { log: true });
    expect([min, max]).toEqual([0, 2]);
    const pixels = paintCells(m, { log: true, lo: min, hi: max });
    expect(pixel(pixels, 1)).toEqual([...parseHex(HEATMAP_COLORS[2]!), 255]);
    expect(pixel(pixels, 3)[3]).toBe(0);
    expect(pixel(pixels, 4)[3]).toBe(0);
    // The same cells and range the ECharts heatmap series was given before.
    const cells = heatmapCells(m, { log: true });
    expect([cells.min, cells.max]).toEqual([min, max]);
    expect(cells.cells.map(([c]) => c)).toEqual([0, 1, 2]);
  });

  it('colour range equals heatmapCells for flat and empty maps', () => {
    for (const rows of [[[3, 3]], [[NaN]], [[1, 2, 3]]]) {
      const m = matrixFromRows(rows);
      const a = heatmapCells(m);
      expect(valueRange(m)).toEqual({ min: a.min, max: a.max });
    }
  });

  it('clamps values outside a fixed range and hides cells outside the picked range', () => {
    const m = matrixFromRows([[-1, 0.2, 2]]);
    const clamped = paintCells(m, { lo: 0, hi: 1 });
    expect(pixel(clamped, 0)).toEqual([...parseHex(HEATMAP_COLORS[0]!), 255]);
    expect(pixel(clamped, 2)).toEqual([...parseHex(HEATMAP_COLORS[4]!), 255]);
    const picked = paintCells(m, { lo: 0, hi: 1, shown: [0, 0.5] });
    expect([pixel(picked, 0)[3], pixel(picked, 1)[3], pixel(picked, 2)[3]]).toEqual([0, 255, 0]);
  });

  it('rejects a colour that is not #rrggbb, naming it', () => {
    expect(() => paintCells(matrixFromRows([[1]]), { lo: 0, hi: 1, colors: ['red', '#000000'] })).toThrow(
      '"red"',
    );
  });

  it('finds the cell under the pointer; outside the cells there is none', () => {
    const rect = { x: 80, y: 10, width: 400, height: 200 };
    expect(cellAt(rect, 4, 40, 80, 10)).toEqual({ row: 0, col: 0 });
    expect(cellAt(rect, 4, 40, 479.9, 209.9)).toEqual({ row: 3, col: 39 });
    expect(cellAt(rect, 4, 40, 80 + 10 * 3.5, 10 + 50 * 2.5)).toEqual({ row: 2, col: 3 });
    expect(cellAt(rect, 4, 40, 79, 100)).toBeNull();
    expect(cellAt(rect, 4, 40, 480, 100)).toBeNull();
    expect(cellAt(rect, 0, 40, 100, 100)).toBeNull();
  });

  it('paints every cell of a 1000-epoch x 40-step map on a log scale (time printed, not asserted)', () => {
    const m = {
      rows: 1000,
      cols: 40,
      values: Float64Array.from({ length: 40_000 }, (_, i) => 10 ** -(i % 40) / 4),
    };
    const t = performance.now();
    const pixels = paintCells(m, { log: true, lo: -10, hi: 0 });
    console.log(`heatmap image: 40,000 cells painted in ${(performance.now() - t).toFixed(1)} ms`);
    expect(pixels).toHaveLength(40_000 * 4);
    // Every cell is opaque (no value was skipped), and along a row the colour walks down the bar:
    // 0.25 (log -0.6) is near the top stop, 2.5e-40 (log -39.6) is clamped to the bottom stop.
    for (let i = 0; i < 40_000; i++) expect(pixels[i * 4 + 3]).toBe(255);
    expect(pixel(pixels, 39)).toEqual([...parseHex(HEATMAP_COLORS[0]!), 255]);
    expect(pixel(pixels, 40 * 999 + 39)).toEqual([...parseHex(HEATMAP_COLORS[0]!), 255]);
    expect(pixel(pixels, 0)).not.toEqual(pixel(pixels, 39));
  });

  it('writes counts in white on the dark end of the bar and near-black on the light end', () => {
    const [darkest, purple, pink, orange, yellow] = HEATMAP_COLORS.map(parseHex);
    expect(textColorOn(darkest!)).toBe('#ffffff');
    expect(textColorOn(purple!)).toBe('#ffffff');
    expect(textColorOn(orange!)).toBe('#111111');
    expect(textColorOn(yellow!)).toBe('#111111');
    expect(textColorOn(pink!)).toMatch(/^#(111111|ffffff)$/);
    expect(textColorOn([255, 255, 255])).toBe('#111111'); // an empty cell on the light theme
    expect(textColorOn([30, 30, 30])).toBe('#ffffff'); // and on the dark theme
    expect(cellText(1234)).toBe('1,234');
    expect(cellText(0)).toBe('0');
    expect(cellText(0.12345)).toBe('0.123');
    expect(cellText(NaN)).toBe('');
  });

  /** A canvas context that records what is written where, in which colour. */
  function recorder(charWidth = 7) {
    const written: { text: string; x: number; y: number; fill: unknown }[] = [];
    const ctx = {
      font: '',
      fillStyle: '' as unknown,
      textAlign: 'start' as CanvasTextAlign,
      textBaseline: 'alphabetic' as CanvasTextBaseline,
      measureText: (s: string) => ({ width: s.length * charWidth }) as TextMetrics,
      fillText(text: string, x: number, y: number) {
        written.push({ text, x, y, fill: this.fillStyle });
      },
    };
    return { ctx, written };
  }

  it('writes each count at the centre of its cell, legible on its colour', () => {
    const m = matrixFromRows([
      [98, 2],
      [5, 95],
    ]);
    const pixels = paintCells(m, { lo: 0, hi: 98 });
    const { ctx, written } = recorder();
    const size = { width: 300, height: 200, scale: 1 };
    expect(writeCellValues(ctx, m, pixels, size, [255, 255, 255])).toBe(true);
    expect(written).toEqual([
      { text: '98', x: 75, y: 50, fill: '#111111' }, // yellow
      { text: '2', x: 225, y: 50, fill: '#ffffff' }, // dark blue
      { text: '5', x: 75, y: 150, fill: '#ffffff' },
      { text: '95', x: 225, y: 150, fill: '#111111' },
    ]);
    expect(ctx.textAlign).toBe('center');
    expect(ctx.textBaseline).toBe('middle');
  });

  it('writes nothing when the cells are too small for their counts (they stay on hover)', () => {
    const m = matrixFromRows([
      [12345, 2],
      [5, 95],
    ]);
    const pixels = paintCells(m, { lo: 0, hi: 12345 });
    const narrow = recorder();
    expect(writeCellValues(narrow.ctx, m, pixels, { width: 60, height: 200, scale: 1 }, [0, 0, 0])).toBe(
      false,
    );
    expect(narrow.written).toEqual([]);
    const low = recorder();
    expect(writeCellValues(low.ctx, m, pixels, { width: 600, height: 20, scale: 1 }, [0, 0, 0])).toBe(false);
    expect(low.written).toEqual([]);
  });
});

// Names and colour ranges of the playground's look inside the model.
import { describe, expect, it } from 'vitest';
import {
  cutNote,
  gateRange,
  layerTitle,
  type InsideLayer,
} from '../../../../../renderer/src/views/playground/insideMaps.js';

const layer = (id: string, node: string, units = 4, steps = 3): InsideLayer => ({
  layer: id,
  node,
  units,
  steps: Array.from({ length: steps }, (_, i) => `t${i}`),
  hidden: [],
  gates: [],
});

describe('inside the model: layer names and ranges', () => {
  const names = (id: string) => ({ bilstm: 'Bi-LSTM', lstm: 'LSTM 1' })[id] ?? id;

  it('names a bidirectional block’s two directions and a plain layer by its block', () => {
    const all = [layer('bilstm', 'bilstm'), layer('bilstm/backward', 'bilstm'), layer('lstm', 'lstm')];
    expect(all.map((l) => layerTitle(l, all, names))).toEqual([
      'Bi-LSTM · forward',
      'Bi-LSTM · backward',
      'LSTM 1',
    ]);
  });

  it('tanh gates range over -1..1, sigmoid gates over 0..1', () => {
    expect(gateRange('cell')).toEqual([-1, 1]);
    expect(gateRange('candidate')).toEqual([-1, 1]);
    expect(gateRange('forget')).toEqual([0, 1]);
    expect(gateRange('reset')).toEqual([0, 1]);
    // An Elman cell's hidden state: its activation is the user's choice, so its own values set the range.
    expect(gateRange('hidden')).toBeUndefined();
  });

  it('says when the matrices were cut to the limits', () => {
    const limits = { units: 128, steps: 200 };
    expect(cutNote(layer('a', 'a', 64, 10), limits)).toBeNull();
    expect(cutNote(layer('a', 'a', 256, 10), limits)).toBe('Showing the first 128 of 256 units.');
    expect(cutNote(layer('a', 'a', 256, 200), limits)).toBe(
      'Showing the first 128 of 256 units and the first 200 steps.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { decadesLost, gradientThroughTime } from '../../../../../renderer/src/views/gradients/throughTime.js';
import type { ProbeRecord } from '../../../../../renderer/src/watch/runRecorder.js';
import { watchText as T } from '../../../../../renderer/src/i18n/watch.js';

function probe(epoch: number, norms: number[]): ProbeRecord {
  return {
    epoch,
    step: epoch * 10,
    tokens: ['a', 'b', 'c'],
    targetTokens: [],
    gradNormPerStep: { rnn: norms },
    gates: {},
    hidden: {},
    attention: {},
  };
}

describe('gradient through time', () => {
  it('puts epochs on rows and time steps on columns, labelled with the probe tokens', () => {
    const t = gradientThroughTime([probe(1, [1e-4, 1e-2, 1]), probe(2, [1e-3, 1e-1, 1])], 'rnn');
    expect([t.matrix.rows, t.matrix.cols]).toEqual([2, 3]);
    expect(t.rowLabels).toEqual(['1', '2']);
    expect(t.columnLabels).toEqual(['1 a', '2 b', '3 c']);
    expect(t.matrix.values[3]).toBe(1e-3);
  });

  it('reads vanishing as orders of magnitude lost from the last step to the first', () => {
    expect(decadesLost([1e-4, 1e-2, 1])).toBeCloseTo(4, 10);
    expect(decadesLost([10, 1])).toBeCloseTo(-1, 10);
    expect(decadesLost([0])).toBeUndefined();
  });

  it('says the reading below the heatmap in orders of magnitude, below or above', () => {
    expect(T.gradients.latestProbe(decadesLost([1e-4, 1e-2, 1])!)).toBe(
      'Latest probe: ‖∂loss/∂h₁‖ is 4.0 orders of magnitude below ‖∂loss/∂h_T‖.',
    );
    expect(T.gradients.latestProbe(-1.25)).toBe(
      'Latest probe: ‖∂loss/∂h₁‖ is 1.3 orders of magnitude above ‖∂loss/∂h_T‖.',
    );
  });
});

// State-space layer: a diagonal linear recurrence (in the spirit of S4D / LRU, real-valued): a hidden
// state of N numbers decays by a learned per-state rate and is driven by the input; the output reads the
// state plus a skip of the input. Linear in h, so it trains without vanishing-gradient trouble.
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { isResult, needSequence, ok, sequence, timeDim, width } from '../shapes.js';

export const stateSpaceParams = z.strictObject({
  /** N: how many state numbers the recurrence carries. */
  stateSize: z.number().int().min(1).max(4096).default(32),
  dropout: z.number().min(0).max(0.95).default(0),
});
export type StateSpaceParams = z.output<typeof stateSpaceParams>;

export const stateSpace: LayerKindDef<StateSpaceParams> = {
  kind: 'state-space',
  title: 'State-space layer',
  category: 'recurrent',
  formula: 'h = a⊙h + Bx,  y = Ch + d⊙x',
  doc: {
    what: 'A linear recurrence with a diagonal state matrix: each state number decays at its own learned rate while the input drives it; the output is a linear read-out plus the input.',
    when: 'Very long sequences and long-range memory tasks; stack it with dense or dropout layers in between. A modern relative of the RNN.',
    formula: 'a = exp(−exp(log_rate)) keeps every rate between 0 and 1 (stable); h_t = a ⊙ h_{t−1} + B x_t; y_t = C h_t + d ⊙ x_t.',
  },
  params: stateSpaceParams,
  inputs: [{ name: 'in', accepts: ['sequence'], label: 'sequence' }],
  outputs: [{ name: 'out', kinds: ['sequence'], label: 'sequence' }],
  inferShapes(_p, inputs) {
    const input = needSequence(inputs, 'in', 'State-space layer');
    if (isResult(input)) return input;
    return ok({ out: sequence(timeDim(input), width(input) ?? 0) });
  },
  weights(p, inputs) {
    const d = width(inputs.in?.[0] ?? { kind: 'sequence', shape: [] }) ?? 0;
    return [
      { name: 'log_rate', shape: [p.stateSize] },
      { name: 'input_kernel', shape: [d, p.stateSize] },
      { name: 'output_kernel', shape: [p.stateSize, d] },
      { name: 'skip', shape: [d] },
    ];
  },
};

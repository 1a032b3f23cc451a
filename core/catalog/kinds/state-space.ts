// State-space layer: a diagonal linear recurrence (S4D / LRU family): a hidden state of N numbers decays by
// a learned per-state rate and is driven by the input; the output reads the state plus a skip of the input.
// Linear in h, so it trains without vanishing-gradient trouble. Options as the engine has them
// (core/engine/ops/stateSpace.ts): a real or complex diagonal (complex adds a learned frequency per state
// and imaginary B and C), and a learned discretisation step Δ = exp(log_step) per state (off: Δ = 1, the
// layout of projects saved before the option existed).
import { z } from 'zod';
import type { LayerKindDef } from '../types.js';
import { isResult, needSequence, ok, sequence, timeDim, width } from '../shapes.js';

export const stateSpaceParams = z.strictObject({
  /** N: how many state numbers the recurrence carries. */
  stateSize: z.number().int().min(1).max(4096).default(32),
  /** real: each state decays; complex: each state also rotates at a learned frequency (oscillations). */
  diagonal: z.enum(['real', 'complex']).default('real'),
  /** Learn the discretisation step Δ = exp(log_step) per state (S4D); off: Δ = 1. */
  learnStep: z.boolean().default(false),
  dropout: z.number().min(0).max(0.95).default(0),
});
export type StateSpaceParams = z.output<typeof stateSpaceParams>;

export const stateSpace: LayerKindDef<StateSpaceParams> = {
  kind: 'state-space',
  title: 'State-space layer',
  category: 'recurrent',
  formula: 'h = Ā⊙h + B̄x,  y = Re(Ch) + d⊙x',
  doc: {
    what:
      'A linear recurrence with a diagonal state matrix: each state number decays at its own learned ' +
      'rate (and, complex, rotates at its own frequency) while the input drives it; the output is a ' +
      'linear read-out plus the input.',
    when:
      'Very long sequences and long-range memory tasks; stack it with dense or dropout layers in ' +
      'between. A modern relative of the RNN. Complex states can hold oscillations; a learned step lets ' +
      'each state pick its own time scale.',
    formula:
      'A = −exp(log_rate) (+ i·frequency when complex) has a negative real part, so it is stable; Δ = ' +
      'exp(log_step) (1 when not learned); Ā = exp(ΔA), B̄ = (Ā − 1)/A · B (zero-order hold); h_t ' +
      '= Ā ⊙ ' +
      'h_{t−1} + B̄ x_t; y_t = Re(C h_t) + d ⊙ x_t.',
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
    const n = p.stateSize;
    return [
      { name: 'log_rate', shape: [n] },
      { name: 'input_kernel', shape: [d, n] },
      { name: 'output_kernel', shape: [n, d] },
      { name: 'skip', shape: [d] },
      ...(p.learnStep ? [{ name: 'log_step', shape: [n] }] : []),
      ...(p.diagonal === 'complex'
        ? [
            { name: 'frequency', shape: [n] },
            { name: 'input_kernel_imag', shape: [d, n] },
            { name: 'output_kernel_imag', shape: [n, d] },
          ]
        : []),
    ];
  },
};

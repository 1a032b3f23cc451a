// The Elman RNN's gate maths (tanh or relu) for the fused WGSL time loop (webgpuLoop.ts).
//
// a_t = act(x·W + b + h·U), h_t = a_t on a real step, h_{t-1} on a padded one.
// Forward record R_t [B,2H] = (a_t, h_t): a_t gives act' in backward (tanh: 1 − a², relu: a > 0).
// Backward record Q_t [B,2H] = (dG masked, carry): dG = dh ⊙ act' feeds every weight gradient and
// ∂loss/∂h_{t-1} through the product; the carry is dh itself on a padded step (the state passed straight
// through), 0 on a real one.
import type { FusedCell } from './webgpuLoop.js';

const ACTIVATIONS = {
  tanh: { forward: 'let a = tanhf(XZ[xo] + p0);', derivative: '(1.0 - a * a)' },
  relu: { forward: 'let a = max(XZ[xo] + p0, 0.0);', derivative: 'select(0.0, 1.0, a > 0.0)' },
};
export type ElmanActivation = keyof typeof ACTIVATIONS;

function fusedElmanCell(activation: ElmanActivation): FusedCell {
  const { forward, derivative } = ACTIVATIONS[activation];
  return {
    key: `rnnStudioElman_${activation}`,
    gates: 1,
    record: 2,
    hAt: 1,
    gradient: 2,
    carryAt: 1,
    inputGradAt: 0,
    recurrentGradAt: 0,
    recurrentBias: false,
    forward: `
    ${forward}
    let hPrev = prev(po + H);
    setOutputAtIndex(ro, a);
    setOutputAtIndex(ro + H, hPrev + m * (a - hPrev));`,
    backward: `
    let a = REC[ro];
    setOutputAtIndex(qo, m * dh * ${derivative});
    setOutputAtIndex(qo + H, (1.0 - m) * dh);`,
  };
}

export const FUSED_ELMAN: Record<ElmanActivation, FusedCell> = {
  tanh: fusedElmanCell('tanh'),
  relu: fusedElmanCell('relu'),
};

// LSTM's gate maths for the fused WGSL time loop (webgpuLoop.ts): one kernel per time step forward and one
// backward, the recurrent product inside. Same equations, masks and outputs as lstm.ts; tested against it
// and PyTorch.
//
// Forward record R_t [B,7H] = (i, f, g, o, c_t, h_t, tanh c_t), c and h held over padded steps (the loop
// adds the h_{t-1} the product read).
// Backward record Q_t [B,6H] = (dG_t masked, carry, ∂loss/∂c_{t-1}): an LSTM's h_{t-1} reaches h_t only
// through the product, so the carry is ∂loss/∂h_t on a padded step and 0 on a real one.
import type { FusedCell } from './webgpuLoop.js';

export const FUSED_LSTM: FusedCell = {
  key: 'rnnStudioLstm',
  gates: 4,
  record: 7,
  hAt: 5,
  cAt: 4,
  gradient: 6,
  carryAt: 4,
  dcAt: 5,
  inputGradAt: 0,
  recurrentGradAt: 0,
  recurrentBias: false,
  forward: `
    let ig = sigm(XZ[xo] + p0);
    let fg = sigm(XZ[xo + H] + p1);
    let gg = tanhf(XZ[xo + 2 * H] + p2);
    let og = sigm(XZ[xo + 3 * H] + p3);
    let cPrev = prev(po + 4 * H);
    let hPrev = prev(po + 5 * H);
    let c = fg * cPrev + ig * gg;
    let tc = tanhf(c);
    setOutputAtIndex(ro, ig);
    setOutputAtIndex(ro + H, fg);
    setOutputAtIndex(ro + 2 * H, gg);
    setOutputAtIndex(ro + 3 * H, og);
    setOutputAtIndex(ro + 4 * H, cPrev + m * (c - cPrev));
    setOutputAtIndex(ro + 5 * H, hPrev + m * (og * tc - hPrev));
    setOutputAtIndex(ro + 6 * H, tc);`,
  backward: `
    let dc = after(no + 5 * H);
    let ig = REC[ro];
    let fg = REC[ro + H];
    let gg = REC[ro + 2 * H];
    let og = REC[ro + 3 * H];
    let tc = REC[ro + 6 * H];
    let cPrev = before(po + 4 * H);
    let dcT = dc + dh * og * (1.0 - tc * tc);
    setOutputAtIndex(qo, m * dcT * gg * ig * (1.0 - ig));
    setOutputAtIndex(qo + H, m * dcT * cPrev * fg * (1.0 - fg));
    setOutputAtIndex(qo + 2 * H, m * dcT * ig * (1.0 - gg * gg));
    setOutputAtIndex(qo + 3 * H, m * dh * tc * og * (1.0 - og));
    setOutputAtIndex(qo + 4 * H, (1.0 - m) * dh);
    setOutputAtIndex(qo + 5 * H, dc + m * (dcT * fg - dc));`,
};

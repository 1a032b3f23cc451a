// GRU's gate maths for the fused WGSL time loop (webgpuLoop.ts), reset after the product (PyTorch's and
// Keras' default form; FUSED_GRU) and before it (Cho et al. 2014; FUSED_GRU_RESET_BEFORE).
//
// Reset after:
// z = σ(xz + h·Uz + bz'), r = σ(xr + h·Ur + br'), p = h·Un + bn' (b' the recurrent bias),
// n = tanh(xn + r⊙p), h_t = z⊙h + (1−z)⊙n; padded steps hold h.
// Forward record R_t [B,5H] = (z, r, n, p, h_t). Backward record Q_t [B,7H] = (dGx = (dz, dr, dn) masked,
// carry, dGu = (dz, dr, dn⊙r) masked): dGx feeds the input-side gradients after the loop, dGu the
// recurrent ones and ∂loss/∂h_{t-1} through the product; the carry is z⊙dh
// on a real step, dh itself on a padded one.
import type { FusedCell } from './webgpuLoop.js';

export const FUSED_GRU: FusedCell = {
  key: 'rnnStudioGru',
  gates: 3,
  record: 5,
  hAt: 4,
  gradient: 7,
  carryAt: 3,
  inputGradAt: 0,
  recurrentGradAt: 4,
  recurrentBias: true,
  forward: `
    let zg = sigm(XZ[xo] + p0 + BR[j]);
    let rg = sigm(XZ[xo + H] + p1 + BR[H + j]);
    let p = p2 + BR[2 * H + j];
    let ng = tanhf(XZ[xo + 2 * H] + rg * p);
    let hPrev = prev(po + 4 * H);
    setOutputAtIndex(ro, zg);
    setOutputAtIndex(ro + H, rg);
    setOutputAtIndex(ro + 2 * H, ng);
    setOutputAtIndex(ro + 3 * H, p);
    setOutputAtIndex(ro + 4 * H, hPrev + m * (zg * hPrev + (1.0 - zg) * ng - hPrev));`,
  backward: `
    let zg = REC[ro];
    let rg = REC[ro + H];
    let ng = REC[ro + 2 * H];
    let p = REC[ro + 3 * H];
    let hPrev = before(po + 4 * H);
    let dz = m * dh * (hPrev - ng) * zg * (1.0 - zg);
    let dn = m * dh * (1.0 - zg) * (1.0 - ng * ng);
    let dr = dn * p * rg * (1.0 - rg);
    setOutputAtIndex(qo, dz);
    setOutputAtIndex(qo + H, dr);
    setOutputAtIndex(qo + 2 * H, dn);
    setOutputAtIndex(qo + 3 * H, dh - m * dh * (1.0 - zg));
    setOutputAtIndex(qo + 4 * H, dz);
    setOutputAtIndex(qo + 5 * H, dr);
    setOutputAtIndex(qo + 6 * H, dn * rg);`,
};

// Reset before: z = σ(xz + h·Uz), r = σ(xr + h·Ur), n = tanh(xn + (r⊙h)·Un), h_t = z⊙h + (1−z)⊙n (bias
// [3H], in x's part). (r⊙h)·Un needs every unit's r first, so each step takes the loop's second kernel:
// the first computes z, r and r⊙h, the second n and h_t. Forward record R_t [B,5H] = (z, r, r⊙h, n, h_t).
// Backward record Q_t [B,4H] = ((dz, dr, dn) masked, carry): the first kernel writes dz, dn and the carry's
// z⊙dh part; the second, with d(r⊙h) = dn·Unᵀ for its unit, dr and adds d(r⊙h)⊙r to the carry (⊙ the
// dropout mask, which r⊙h read through h). With dropout, h above is h ⊙ D throughout the products.
export const FUSED_GRU_RESET_BEFORE: FusedCell = {
  key: 'rnnStudioGruResetBefore',
  gates: 3,
  record: 5,
  hAt: 4,
  gradient: 4,
  carryAt: 3,
  inputGradAt: 0,
  recurrentGradAt: 0,
  recurrentBias: false,
  productGates: 2,
  forward: `
    let zg = sigm(XZ[xo] + p0);
    let rg = sigm(XZ[xo + H] + p1);
    setOutputAtIndex(ro, zg);
    setOutputAtIndex(ro + H, rg);
    setOutputAtIndex(ro + 2 * H, rg * hIn);`,
  backward: `
    let zg = REC[ro];
    let ng = REC[ro + 3 * H];
    let hPrev = before(po + 4 * H);
    setOutputAtIndex(qo, m * dh * (hPrev - ng) * zg * (1.0 - zg));
    setOutputAtIndex(qo + 2 * H, m * dh * (1.0 - zg) * (1.0 - ng * ng));
    setOutputAtIndex(qo + 3 * H, dh - m * dh * (1.0 - zg));`,
  second: {
    at: 2,
    gradAt: 2,
    forward: `
    let zg = result[ro];
    let ng = tanhf(XZ[xo + 2 * H] + ps);
    let hPrev = prev(po + 4 * H);
    setOutputAtIndex(ro + 3 * H, ng);
    setOutputAtIndex(ro + 4 * H, hPrev + m * (zg * hPrev + (1.0 - zg) * ng - hPrev));`,
    backward: `
    let rg = REC[ro + H];
    let hIn = REC[ro + 5 * H];
    setOutputAtIndex(qo + H, ps * hIn * rg * (1.0 - rg));
    setOutputAtIndex(qo + 3 * H, result[qo + 3 * H] + ps * rg * dropScale);`,
  },
};

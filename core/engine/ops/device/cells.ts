// The three recurrent cells' step math on the device path: plain tfjs ops on [B,·] tensors, forward and
// hand-written backward side by side, the same equations as the host path (lstm.ts, gru.ts, elman.ts).
// A cell sees one time step; the time loop, masks, dropout and weight gradients are sequence.ts's.
import * as tf from '@tensorflow/tfjs-core';

export interface StepState {
  h: tf.Tensor2D;
  /** LSTM only. */
  c?: tf.Tensor2D;
}

export interface StepGrads {
  /** ∂loss/∂(input-side pre-activation x·W + b) [B,G]. */
  dGx: tf.Tensor2D;
  /** Per recurrent product: its left operand's rows and ∂loss/∂(its output), for dU after the loop. */
  products: tf.Tensor2D[];
  /** ∂loss/∂h_{t-1} through the recurrent products (before recurrent dropout). */
  dhIn: tf.Tensor2D;
  /** ∂loss/∂h_{t-1} along the direct path (GRU's z ⊙ h_{t-1}), if any. */
  dhDirect?: tf.Tensor2D;
  /** LSTM: ∂loss/∂c_{t-1}. */
  dc?: tf.Tensor2D;
}

export interface DeviceCell {
  /** Gate width G of the kernels. */
  gates: number;
  /**
   * One step from the input-side pre-activation xz [B,G], h_{t-1} as the products read it (after
   * recurrent dropout) and the state. Returns the new state and what backward needs.
   */
  forward(xz: tf.Tensor2D, hIn: tf.Tensor2D, state: StepState): { state: StepState; saved: tf.Tensor[] };
  /** Gate activations [B,G] for the probe's gates view, from `saved`. */
  gateActivations(saved: tf.Tensor[]): tf.Tensor2D;
  /** One step back from ∂loss/∂h_t (and ∂loss/∂c_t) and the step's saved tensors. */
  backward(saved: tf.Tensor[], hIn: tf.Tensor2D, dh: tf.Tensor2D, dc: tf.Tensor2D | undefined): StepGrads;
  /** dRecurrentKernel from each product's rows and gradients over all steps (time-major). */
  recurrentGrad(rows: tf.Tensor2D[], grads: tf.Tensor2D[]): tf.Tensor2D;
  /** dBias from the summed gradients of the input side and of the first product. */
  biasGrad(dGxSum: tf.Tensor1D, dGuSum: tf.Tensor1D): tf.Tensor;
}

const oneMinus = (a: tf.Tensor) => tf.sub(1, a);
/** σ'(x) from σ(x). */
const dSigmoid = (s: tf.Tensor) => tf.mul(s, oneMinus(s));
/** tanh'(x) from tanh(x). */
const dTanh = (t: tf.Tensor) => oneMinus(tf.square(t));
const t2 = (t: tf.Tensor) => t as tf.Tensor2D;

/** Σ rowsᵀ·grads over the steps of one product, as one matMul over the time-major stack. */
function productGrad(rows: tf.Tensor2D[], grads: tf.Tensor2D[]): tf.Tensor2D {
  return tf.matMul(tf.concat(rows, 0), tf.concat(grads, 0), true, false);
}

/** i, f, g, o; c_t = f⊙c + i⊙g; h_t = o⊙tanh(c_t). */
export function lstmCell(recurrent: tf.Tensor2D): DeviceCell {
  const H = recurrent.shape[0];
  return {
    gates: 4 * H,
    forward(xz, hIn, state) {
      const z = tf.add(xz, tf.matMul(hIn, recurrent));
      const [zi, zf, zg, zo] = tf.split(z, 4, 1);
      const i = tf.sigmoid(zi!);
      const f = tf.sigmoid(zf!);
      const g = tf.tanh(zg!);
      const o = tf.sigmoid(zo!);
      const c = t2(tf.add(tf.mul(f, state.c!), tf.mul(i, g)));
      const tc = tf.tanh(c);
      const h = t2(tf.mul(o, tc));
      return { state: { h, c }, saved: [i, f, g, o, tc, state.c!] };
    },
    gateActivations: (saved) => t2(tf.concat(saved.slice(0, 4), 1)),
    backward(saved, hIn, dh, dc) {
      const [i, f, g, o, tc, cPrev] = saved as tf.Tensor2D[];
      const dcT = tf.add(dc!, tf.mul(tf.mul(dh, o!), dTanh(tc!)));
      const dG = t2(
        tf.concat(
          [
            tf.mul(tf.mul(dcT, g!), dSigmoid(i!)),
            tf.mul(tf.mul(dcT, cPrev!), dSigmoid(f!)),
            tf.mul(tf.mul(dcT, i!), dTanh(g!)),
            tf.mul(tf.mul(dh, tc!), dSigmoid(o!)),
          ],
          1,
        ),
      );
      return {
        dGx: dG,
        products: [hIn, dG],
        dhIn: tf.matMul(dG, recurrent, false, true),
        dc: t2(tf.mul(dcT, f!)),
      };
    },
    recurrentGrad: productGrad,
    biasGrad: (dGxSum) => dGxSum,
  };
}

/** h_t = act(x·W + b + h·U). */
export function elmanCell(recurrent: tf.Tensor2D, activation: 'tanh' | 'relu'): DeviceCell {
  const H = recurrent.shape[0];
  return {
    gates: H,
    forward(xz, hIn) {
      const z = tf.add(xz, tf.matMul(hIn, recurrent));
      const h = t2(activation === 'tanh' ? tf.tanh(z) : tf.relu(z));
      return { state: { h }, saved: [h] };
    },
    gateActivations: (saved) => t2(saved[0]!),
    backward(saved, hIn, dh) {
      const h = saved[0]!;
      const dG = t2(tf.mul(dh, activation === 'tanh' ? dTanh(h) : tf.step(h)));
      return { dGx: dG, products: [hIn, dG], dhIn: tf.matMul(dG, recurrent, false, true) };
    },
    recurrentGrad: productGrad,
    biasGrad: (dGxSum) => dGxSum,
  };
}

/**
 * GRU, gates z, r, n; h_t = z⊙h + (1−z)⊙n. resetAfter: n = tanh(xn +
 * r⊙(h·Un + bn_rec)), the recurrent bias added to the product (`recBias`, [3H]).
 * resetBefore: n = tanh(xn + (r⊙h)·Un), two products.
 */
export function gruCell(recurrent: tf.Tensor2D, resetAfter: boolean, recBias: tf.Tensor | null): DeviceCell {
  const H = recurrent.shape[0];
  const [uzr, un] = tf.split(recurrent, [2 * H, H], 1) as [tf.Tensor2D, tf.Tensor2D];
  return {
    gates: 3 * H,
    forward(xz, hIn, state) {
      const [xzr, xn] = tf.split(xz, [2 * H, H], 1);
      let p: tf.Tensor | null = null;
      let zr: tf.Tensor;
      let n: tf.Tensor;
      let r: tf.Tensor;
      let z: tf.Tensor;
      let rh: tf.Tensor | null = null;
      if (resetAfter) {
        p = tf.matMul(hIn, recurrent);
        if (recBias) p = tf.add(p, recBias);
        const [pzr, pn] = tf.split(p, [2 * H, H], 1);
        zr = tf.sigmoid(tf.add(xzr!, pzr!));
        [z, r] = tf.split(zr, 2, 1) as [tf.Tensor, tf.Tensor];
        n = tf.tanh(tf.add(xn!, tf.mul(r, pn!)));
        p = pn!;
      } else {
        zr = tf.sigmoid(tf.add(xzr!, tf.matMul(hIn, uzr)));
        [z, r] = tf.split(zr, 2, 1) as [tf.Tensor, tf.Tensor];
        rh = tf.mul(r, hIn);
        n = tf.tanh(tf.add(xn!, tf.matMul(rh as tf.Tensor2D, un)));
      }
      const h = t2(tf.add(tf.mul(z, state.h), tf.mul(oneMinus(z), n)));
      // saved: z, r, n, h_{t-1}, then p_n (resetAfter) or r⊙h (resetBefore)
      return { state: { h }, saved: [z, r, n, state.h, resetAfter ? p! : rh!] };
    },
    gateActivations: (saved) => t2(tf.concat(saved.slice(0, 3), 1)),
    backward(saved, hIn, dh) {
      const [z, r, n, hPrev, extra] = saved as tf.Tensor2D[];
      const dz = tf.mul(tf.mul(dh, tf.sub(hPrev!, n!)), dSigmoid(z!));
      const dn = tf.mul(tf.mul(dh, oneMinus(z!)), dTanh(n!));
      const dhDirect = t2(tf.mul(dh, z!));
      if (resetAfter) {
        const pn = extra!;
        const dr = tf.mul(tf.mul(dn, pn), dSigmoid(r!));
        const dGx = t2(tf.concat([dz, dr, dn], 1));
        const dGu = t2(tf.concat([dz, dr, tf.mul(dn, r!)], 1));
        return { dGx, products: [hIn, dGu], dhIn: tf.matMul(dGu, recurrent, false, true), dhDirect };
      }
      const rh = extra!;
      const dRh = tf.matMul(dn as tf.Tensor2D, un, false, true);
      const dr = tf.mul(tf.mul(dRh, hIn), dSigmoid(r!));
      const dzr = t2(tf.concat([dz, dr], 1));
      const dhIn = t2(tf.add(tf.matMul(dzr, uzr, false, true), tf.mul(dRh, r!)));
      return { dGx: t2(tf.concat([dzr, dn], 1)), products: [hIn, dzr, rh, t2(dn)], dhIn, dhDirect };
    },
    recurrentGrad(rows, grads) {
      if (resetAfter) return productGrad(rows, grads);
      // Two products per step: h·U_zr and (r⊙h)·U_n, stored as [hIn, dzr, rh, dn] per step.
      const pick = (list: tf.Tensor2D[], k: number) => list.filter((_, j) => j % 2 === k);
      return t2(
        tf.concat(
          [productGrad(pick(rows, 0), pick(grads, 0)), productGrad(pick(rows, 1), pick(grads, 1))],
          1,
        ),
      );
    },
    biasGrad: (dGxSum, dGuSum) => (resetAfter ? tf.stack([dGxSum, dGuSum]) : dGxSum),
  };
}

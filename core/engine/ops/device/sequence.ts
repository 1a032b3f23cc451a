// The device path of the fused recurrent ops (webgpu, tensorflow): the same contract as the host path
// (runCell in ../recurrent.ts: masks, initial/final states, reverse direction, recurrent dropout, taps),
// with every per-step value a tensor on the device. Forward and the hand-written BPTT are plain tfjs ops
// with no read back to the host: on a GPU each read is a device→host round trip that stalls the queue.
//
// Structure, as cuDNN does it: the input projection of all steps is one matMul before the loop; each step
// is its recurrent product plus the cell's elementwise math (cells.ts); after the loop the weight
// gradients of all steps are one matMul per product and the input gradient one more.
//
// The loop runs as one tape node (runFused): its per-step tensors are handed to `save`, which keeps them
// until backprop has used them; everything else made during the forward is freed by the kernel's tidy.
import * as tf from '@tensorflow/tfjs-core';
import { runFused, stepAt, type RecurrentOptions } from '../sequence.js';
import type { CellConfig, CellResult, CellState, CellWeights } from '../recurrent.js';
import { type DeviceCell, elmanCell, gruCell, lstmCell } from './cells.js';
import { FUSED_ELMAN } from './webgpuElman.js';
import { FUSED_GRU, FUSED_GRU_RESET_BEFORE } from './webgpuGru.js';
import { type FusedCell, runFusedCell } from './webgpuLoop.js';
import { FUSED_LSTM } from './webgpuLstm.js';
import { fusedKernelsApply } from './webgpuPrograms.js';

function makeCell(cell: CellConfig, recurrent: tf.Tensor2D, bias: tf.Tensor): DeviceCell {
  if (cell.kind === 'lstm') return lstmCell(recurrent);
  if (cell.kind === 'elman') return elmanCell(recurrent, cell.activation ?? 'tanh');
  const resetAfter = cell.resetAfter !== false;
  return gruCell(recurrent, resetAfter, resetAfter ? tf.squeeze(tf.slice(bias, [1, 0], [1, -1]), [0]) : null);
}

/** The fused WGSL cell for this configuration. */
function fusedCell(cell: CellConfig): FusedCell {
  if (cell.kind === 'lstm') return FUSED_LSTM;
  if (cell.kind === 'elman') return FUSED_ELMAN[cell.activation ?? 'tanh'];
  return cell.resetAfter === false ? FUSED_GRU_RESET_BEFORE : FUSED_GRU;
}

/** The input-side bias [G]: GRU with resetAfter keeps its recurrent bias apart (row 1 of [2,G]). */
function inputBias(bias: tf.Tensor): tf.Tensor {
  return bias.rank === 2 ? tf.squeeze(tf.slice(bias, [0, 0], [1, -1]), [0]) : bias;
}

/** [B*T] batch-major host array → T tensors [B,1], time-major. */
function stepColumns(values: Float32Array, B: number, T: number): tf.Tensor2D[] {
  return tf
    .unstack(tf.transpose(tf.tensor2d(values, [B, T])))
    .map((m) => tf.reshape(m, [B, 1]) as tf.Tensor2D);
}

/** Keeps a's rows where m is 1 and b's where m is 0 (a padded step). */
function blend(m: tf.Tensor | null, a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return (m ? tf.add(b, tf.mul(m, tf.sub(a, b))) : a) as tf.Tensor2D;
}

export function runCellOnDevice(
  cell: CellConfig,
  x: tf.Tensor3D,
  w: CellWeights,
  init: CellState,
  opt: RecurrentOptions,
): CellResult {
  const fused = fusedKernelsApply(opt) ? fusedCell(cell) : null;
  if (fused) return runFusedCell(fused, x, w, init, opt);
  const [B, T, In] = x.shape;
  const H = cell.units;
  const lstm = cell.kind === 'lstm';
  const h0 = init.h ?? tf.zeros([B, H]);
  const c0 = lstm ? (init.c ?? tf.zeros([B, H])) : null;
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0];
  if (c0) inputs.push(c0);
  if (opt.tap) inputs.push(opt.tap);
  const outs = runFused(inputs, (save) => {
    const [xs, kernel, recurrent, bias] = inputs as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor];
    // Made again for backward: the forward's own pieces (weight splits) are freed when the forward ends.
    let unit = makeCell(cell, recurrent, bias);
    const G = unit.gates;
    const xTime = tf.reshape(tf.transpose(xs, [1, 0, 2]), [T * B, In]) as tf.Tensor2D;
    const xz = tf.unstack(tf.reshape(tf.add(tf.matMul(xTime, kernel), inputBias(bias)), [T, B, G]));
    const masks = opt.mask ? stepColumns(opt.mask, B, T) : null;
    const drop = opt.recurrentDropMask ? tf.tensor2d(opt.recurrentDropMask, [B, H]) : null;
    const taps = opt.tap ? tf.unstack(opt.tap, 1) : null;
    let state = { h: h0 as tf.Tensor2D, ...(c0 ? { c: c0 as tf.Tensor2D } : {}) };
    const hIns: tf.Tensor2D[] = new Array(T);
    const saved: tf.Tensor[][] = new Array(T);
    const seq: tf.Tensor[] = new Array(T);
    for (let s = 0; s < T; s++) {
      const t = stepAt(s, T, opt.goBackwards);
      const hIn = drop ? (tf.mul(state.h, drop) as tf.Tensor2D) : state.h;
      const step = unit.forward(xz[t] as tf.Tensor2D, hIn, state);
      const m = masks ? masks[t]! : null;
      let h = blend(m, step.state.h, state.h);
      const c = lstm ? blend(m, step.state.c!, state.c!) : undefined;
      if (taps) h = tf.add(h, taps[t]!) as tf.Tensor2D;
      state = { h, ...(c ? { c } : {}) };
      hIns[t] = hIn;
      saved[t] = step.saved;
      seq[t] = h;
    }
    const perStep = saved[0]?.length ?? 0;
    save([xTime, ...hIns, ...saved.flat(), ...(masks ?? []), ...(drop ? [drop] : [])]);
    const values = [tf.stack(seq, 1), state.h, ...(lstm ? [state.c!] : [])];
    // The probe's gate activations, an extra output (its gradient is ignored): stays on the device.
    if (opt.recorder)
      values.push(
        tf.stack(
          saved.map((r) => unit.gateActivations(r)),
          1,
        ),
      );

    const backward = (dys: tf.Tensor[], kept: tf.Tensor[]) => {
      unit = makeCell(cell, recurrent, bias);
      const xRows = kept[0] as tf.Tensor2D;
      const hInK = kept.slice(1, 1 + T) as tf.Tensor2D[];
      let o = 1 + T;
      const savedK = Array.from({ length: T }, (_, t) => kept.slice(o + t * perStep, o + (t + 1) * perStep));
      o += T * perStep;
      const masksK = masks ? (kept.slice(o, o + T) as tf.Tensor2D[]) : null;
      o += masks ? T : 0;
      const dropK = drop ? kept[o]! : null;
      const dSeq = tf.unstack(dys[0]!, 1);
      let dh = dys[1] as tf.Tensor2D;
      let dc = lstm ? (dys[2] as tf.Tensor2D) : undefined;
      const dGx: tf.Tensor2D[] = new Array(T);
      const rows: tf.Tensor2D[][] = new Array(T);
      const grads: tf.Tensor2D[][] = new Array(T);
      const dTap: tf.Tensor[] = new Array(T);
      for (let s = T - 1; s >= 0; s--) {
        const t = stepAt(s, T, opt.goBackwards);
        dh = tf.add(dh, dSeq[t]!) as tf.Tensor2D;
        dTap[t] = dh;
        const m = masksK ? masksK[t]! : null;
        const g = unit.backward(savedK[t]!, hInK[t]!, dh, dc);
        dGx[t] = m ? (tf.mul(g.dGx, m) as tf.Tensor2D) : g.dGx;
        rows[t] = [];
        grads[t] = [];
        for (let p = 0; p < g.products.length; p += 2) {
          rows[t]!.push(g.products[p]!);
          grads[t]!.push(m ? (tf.mul(g.products[p + 1]!, m) as tf.Tensor2D) : g.products[p + 1]!);
        }
        let dPrev: tf.Tensor = dropK ? tf.mul(g.dhIn, dropK) : g.dhIn;
        if (g.dhDirect) dPrev = tf.add(dPrev, g.dhDirect);
        dh = blend(m, dPrev, dh);
        if (lstm) dc = blend(m, g.dc!, dc!);
      }
      const dG = tf.concat(dGx, 0) as tf.Tensor2D; // time-major [T*B, G]
      const firstGrads = grads.map((list) => list[0]!);
      const result = [
        () => tf.transpose(tf.reshape(tf.matMul(dG, kernel, false, true), [T, B, In]), [1, 0, 2]),
        () => tf.matMul(xRows, dG, true, false),
        () => unit.recurrentGrad(rows.flat(), grads.flat()),
        () => unit.biasGrad(tf.sum(dG, 0) as tf.Tensor1D, tf.sum(tf.concat(firstGrads, 0), 0) as tf.Tensor1D),
        () => dh,
      ];
      if (lstm) result.push(() => dc!);
      if (opt.tap) result.push(() => tf.stack(dTap, 1));
      return result;
    };
    return { values, backward };
  });
  if (!init.h) h0.dispose();
  if (c0 && !init.c) c0.dispose();
  if (opt.recorder) opt.recorder.gatesTensor = outs[lstm ? 3 : 2] as tf.Tensor3D;
  return {
    sequence: outs[0] as tf.Tensor3D,
    h: outs[1] as tf.Tensor2D,
    ...(lstm ? { c: outs[2] as tf.Tensor2D } : {}),
  };
}

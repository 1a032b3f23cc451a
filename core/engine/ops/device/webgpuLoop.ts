// The time loop every fused WGSL cell (webgpuLstm.ts, webgpuGru.ts, webgpuElman.ts) runs in: one
// dispatch per time step forward and one backward, the recurrent product computed inside the cell's
// kernel (each invocation its own unit's dot products); the input projection of all steps one matMul
// before the loop, the weight gradients of all steps one matMul each after it (as cuDNN does). A cell
// brings only its gate maths (two WGSL bodies) and the layout of its records; masks, directions, initial
// and final states, the products, what is kept for backward and every input's gradient are the loop's.
//
// Forward, step t writes a record R_t [B, record·H] holding the cell's gates and its state (h, and c for
// an LSTM) already held over padded steps; the next step's kernel reads h_t from it for its product.
// Backward, step t writes Q_t [B, gradient·H] holding the gate gradients (masked) and the carry: the part
// of ∂loss/∂h_{t-1} that bypasses the product (all of ∂loss/∂h_t on a padded step), and for an LSTM
// ∂loss/∂c_{t-1}. ∂loss/∂h_{t-1} is carry + dG_t·Uᵀ, which
// the next backward step's kernel computes.
//
// Why the product inside: every dispatch has a fixed cost (on the SwiftShader emulator 0.6–0.9 ms for a
// small elementwise kernel, measured; far less on a GPU, but still most of a small step), and a separate
// product took two more per step (the product and the slice feeding it). The dot products are plain
// loops over H (forward) or G (backward) per invocation, reading U in unit order, so neighbouring
// invocations read neighbouring weights. On the emulator such a loop measured as fast as tfjs's tiled
// matMul for [16,64]·[64,256]; for large H on a GPU a tiled product may use it better (not measured).
import * as tf from '@tensorflow/tfjs-core';
import type { CellResult, CellState, CellWeights } from '../recurrent.js';
import { runFused, stepAt, type RecurrentOptions } from '../sequence.js';
import { HELPERS, program, run, timeMajorMask } from './webgpuPrograms.js';

/** One cell's part of the fused loop. Offsets and widths count in units of H. */
export interface FusedCell {
  /** Names the compiled shaders (one pair per cell variant, another with recurrent dropout). */
  key: string;
  /** Columns of the input projection and of the recurrent product: G = gates·H. */
  gates: number;
  /** Forward record width, and where h_t (and an LSTM's c_t) stand in it. */
  record: number;
  hAt: number;
  cAt?: number;
  /** Backward record width, where the ∂loss/∂h carry (and an LSTM's ∂loss/∂c) stand in it. */
  gradient: number;
  carryAt: number;
  dcAt?: number;
  /** Where the gate gradients for the input-side weights and for the recurrent ones start (width G). */
  inputGradAt: number;
  recurrentGradAt: number;
  /** GRU: bias [2,G], row 1 the recurrent product's, which the forward kernel reads as BR[G]. */
  recurrentBias: boolean;
  /** Whether the backward kernel reads the previous step's record (PREV). */
  backwardReadsPrevious: boolean;
  /**
   * WGSL statements of one invocation (sequence b, unit j). Forward has H, B, b, j, m (1 on a real step),
   * xo (this unit's first gate in XZ), ro (its record offset), `product(b, j, gate)` (h_{t-1}·U for
   * that gate and unit), and reads PREV; backward has ro, qo (its gradient record offset) and dh
   * (∂loss/∂h_t: product, carry and output gradient), and reads REC, PREV (when it asks for it) and QN
   * (the step after's gradient record).
   */
  forward: string;
  backward: string;
}

/** The WGSL of one kernel: the names every cell's statements may use (see FusedCell), then theirs. */
function shader(cell: FusedCell, functions: string, names: string, statements: string): string {
  return `${HELPERS}${functions}
  fn main(index : i32) {
    let H = uniforms.units;
    let B = uniforms.batch;
    if (index >= B * H) { return; }
    let b = index / H;
    let j = index - b * H;
    let ro = b * ${cell.record} * H + j;
    let m = M[uniforms.stepIndex * B + b];
    ${names}
    ${statements}
  }
`;
}

// h_{t-1}[b,:] · U[:, gate·H + j]: h_{t-1} is the previous record's h, U is [H, G].
// With variational recurrent dropout the product reads h_{t-1} ⊙ D (D [B,H], the same every step).
const forwardShader = (cell: FusedCell, dropout: boolean) => {
  const hIn = dropout ? 'PREV[row + k] * D[b * H + k]' : 'PREV[row + k]';
  return shader(
    cell,
    `
  fn product(b : i32, j : i32, gate : i32) -> f32 {
    let H = uniforms.units;
    let row = b * ${cell.record} * H + ${cell.hAt} * H;
    let G = ${cell.gates} * H;
    let col = gate * H + j;
    var acc = 0.0;
    for (var k = 0; k < H; k++) { acc = acc + ${hIn} * U[k * G + col]; }
    return acc;
  }`,
    `let xo = (uniforms.stepIndex * B + b) * ${cell.gates} * H + j;`,
    cell.forward,
  );
};

// (dG_{t+1}[b,:] · U[j,:]): the recurrent-side gate gradients of the step after (QN), times U's row j.
// With dropout, the product's gradient reaches h_{t-1} through D.
const backwardShader = (cell: FusedCell, dropout: boolean) =>
  shader(
    cell,
    `
  fn productGrad(b : i32, j : i32) -> f32 {
    let H = uniforms.units;
    let G = ${cell.gates} * H;
    let row = b * ${cell.gradient} * H + ${cell.recurrentGradAt} * H;
    var acc = 0.0;
    for (var k = 0; k < G; k++) { acc = acc + QN[row + k] * U[j * G + k]; }
    return acc;
  }`,
    `let qo = b * ${cell.gradient} * H + j;
    let dSeq = DSEQ[(b * uniforms.time + uniforms.stepIndex) * H + j];
    let dh = productGrad(b, j)${dropout ? ' * D[b * H + j]' : ''} + QN[qo + ${cell.carryAt} * H] + dSeq;`,
    cell.backward,
  );

/** A [B, width·H] record of zeros but for the given [B,H] pieces at their offsets. */
function recordOf(
  width: number,
  pieces: [number | undefined, tf.Tensor | undefined][],
  B: number,
  H: number,
) {
  const placed = pieces
    .filter((p): p is [number, tf.Tensor] => p[0] !== undefined && p[1] !== undefined)
    .sort((a, b) => a[0] - b[0]);
  const parts: tf.Tensor[] = [];
  let at = 0;
  for (const [offset, piece] of placed) {
    if (offset > at) parts.push(tf.zeros([B, (offset - at) * H]));
    parts.push(piece);
    at = offset + 1;
  }
  if (width > at) parts.push(tf.zeros([B, (width - at) * H]));
  return tf.concat(parts, 1);
}

export function runFusedCell(
  cell: FusedCell,
  x: tf.Tensor3D,
  w: CellWeights,
  init: CellState,
  opt: RecurrentOptions,
): CellResult {
  const [B, T, In] = x.shape;
  const H = w.recurrentKernel.shape[0];
  const G = cell.gates * H;
  const hasC = cell.cAt !== undefined;
  const h0 = init.h ?? tf.zeros([B, H]);
  const c0 = hasC ? (init.c ?? tf.zeros([B, H])) : undefined;
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0, ...(c0 ? [c0] : [])];
  const outs = runFused(inputs, (save) => {
    const [xs, kernel, recurrent, bias] = inputs as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor];
    const u = { units: H, batch: B, time: T };
    const xTime = tf.reshape(tf.transpose(xs, [1, 0, 2]), [T * B, In]) as tf.Tensor2D;
    const biasRow = (row: number) => tf.reshape(tf.slice(bias, [row, 0], [1, G]), [G]);
    const xz = tf.add(tf.matMul(xTime, kernel), cell.recurrentBias ? biasRow(0) : bias); // time-major
    const extras = cell.recurrentBias ? [biasRow(1)] : [];
    const mask = timeMajorMask(opt, B, T);
    const drop = opt.recurrentDropMask ? tf.tensor2d(opt.recurrentDropMask, [B, H]) : null;
    const dropped = drop ? [drop] : [];
    const key = `${cell.key}${drop ? 'Dropout' : ''}`;
    const names = ['XZ', 'U', ...(cell.recurrentBias ? ['BR'] : []), 'PREV', 'M', ...(drop ? ['D'] : [])];
    const shaderText = forwardShader(cell, drop !== null);
    const forward = program(`${key}Forward`, names, [B, cell.record * H], B * H, shaderText);
    const first = recordOf(
      cell.record,
      [
        [cell.hAt, h0],
        [cell.cAt, c0],
      ],
      B,
      H,
    );
    const hOf = (r: tf.Tensor) => tf.slice(r, [0, cell.hAt * H], [B, H]);
    const records: tf.Tensor[] = new Array(T);
    let prev = first;
    for (let s = 0; s < T; s++) {
      const t = stepAt(s, T, opt.goBackwards);
      records[t] = run(forward, [xz, recurrent, ...extras, prev, mask, ...dropped], { ...u, step: t });
      prev = records[t]!;
    }
    // Every step's h, time-major [T*B, H]: the sequence output, and the product inputs for backward.
    const hs = tf.slice(tf.concat(records, 0), [0, cell.hAt * H], [T * B, H]);
    const values = [tf.transpose(tf.reshape(hs, [T, B, H]), [1, 0, 2]), hOf(prev)];
    if (hasC) values.push(tf.slice(prev, [0, cell.cAt! * H], [B, H]));
    save([xTime, mask, first, hs, ...records, ...dropped]);

    const backward = (dys: tf.Tensor[], kept: tf.Tensor[]) => {
      const [xRows, maskK, firstK, hsK] = kept as [tf.Tensor2D, tf.Tensor, tf.Tensor, tf.Tensor2D];
      const recs = kept.slice(4, 4 + T);
      const dropK = drop ? kept[4 + T]! : null;
      const droppedK = dropK ? [dropK] : [];
      const previousName = cell.backwardReadsPrevious ? ['PREV'] : [];
      const backNames = ['DSEQ', 'REC', ...previousName, 'M', 'U', 'QN', ...(dropK ? ['D'] : [])];
      const backText = backwardShader(cell, dropK !== null);
      const back = program(`${key}Backward`, backNames, [B, cell.gradient * H], B * H, backText);
      let q = recordOf(
        cell.gradient,
        [
          [cell.carryAt, dys[1]],
          [cell.dcAt, dys[2]],
        ],
        B,
        H,
      );
      const qs: tf.Tensor[] = new Array(T);
      for (let s = T - 1; s >= 0; s--) {
        const t = stepAt(s, T, opt.goBackwards);
        const before = s === 0 ? firstK : recs[stepAt(s - 1, T, opt.goBackwards)]!;
        const previous = cell.backwardReadsPrevious ? [before] : [];
        const stepInputs = [dys[0]!, recs[t]!, ...previous, maskK, recurrent, q, ...droppedK];
        q = run(back, stepInputs, { ...u, step: t });
        qs[t] = q;
      }
      // ∂loss/∂h0: through the first step's product, plus what bypassed it.
      const dGuFirst = tf.slice(q, [0, cell.recurrentGradAt * H], [B, G]) as tf.Tensor2D;
      const throughProduct = tf.matMul(dGuFirst, recurrent, false, true);
      const dh0 = tf.add(
        dropK ? tf.mul(throughProduct, dropK) : throughProduct,
        tf.slice(q, [0, cell.carryAt * H], [B, H]),
      );
      // Time-major [T*B, G]: one product per weight over all steps.
      const all = tf.concat(qs, 0);
      const dGx = tf.slice(all, [0, cell.inputGradAt * H], [T * B, G]) as tf.Tensor2D;
      const dGr =
        cell.inputGradAt === cell.recurrentGradAt
          ? dGx
          : (tf.slice(all, [0, cell.recurrentGradAt * H], [T * B, G]) as tf.Tensor2D);
      // The h each step's product read, in the same rows: the step before's (h0 for the first).
      const h0Rows = hOf(firstK);
      const rest = (from: number) => tf.slice(hsK, [from * B, 0], [(T - 1) * B, H]);
      const hRows = T === 1 ? h0Rows : tf.concat(opt.goBackwards ? [rest(1), h0Rows] : [h0Rows, rest(0)], 0);
      const hIns = (dropK ? tf.mul(hRows, tf.tile(dropK, [T, 1])) : hRows) as tf.Tensor2D;
      const grads = [
        () => tf.transpose(tf.reshape(tf.matMul(dGx, kernel, false, true), [T, B, In]), [1, 0, 2]),
        () => tf.matMul(xRows, dGx, true, false),
        () => tf.matMul(hIns, dGr, true, false),
        () => (cell.recurrentBias ? tf.stack([tf.sum(dGx, 0), tf.sum(dGr, 0)]) : tf.sum(dGx, 0)),
        () => dh0,
      ];
      if (hasC) grads.push(() => tf.slice(q, [0, cell.dcAt! * H], [B, H]));
      return grads;
    };
    return { values, backward };
  });
  if (!init.h) h0.dispose();
  if (c0 && !init.c) c0.dispose();
  return {
    sequence: outs[0] as tf.Tensor3D,
    h: outs[1] as tf.Tensor2D,
    ...(hasC ? { c: outs[2] as tf.Tensor2D } : {}),
  };
}

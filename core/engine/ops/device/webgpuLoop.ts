// The time loop every fused WGSL cell (webgpuLstm.ts, webgpuGru.ts, webgpuElman.ts) runs in: one
// dispatch per time step forward and one backward (two each way for a cell with a `second` kernel), the
// recurrent product computed inside the cell's kernel (each invocation its own unit's dot products); the
// input projection of all steps one matMul before the loop (a row lookup for a one-hot input, whose
// kernel gradient is then a segment sum), the weight gradients of all steps one matMul each after it (as
// cuDNN does). A cell brings only its gate maths (WGSL bodies) and the layout of its records; masks,
// directions, initial and final states, the products, what is kept for backward and every input's
// gradient are the loop's.
//
// Forward, step t writes the record of every sequence b at (b, t) of one tensor R [B, T, (record+1)·H]:
// the cell's gates and its state (h, and c for an LSTM) already held over padded steps, and in the last
// H columns the h_{t-1} its product read (⊙ the dropout mask): the rows the recurrent weights' gradient
// multiplies, in the same order as the gate gradients. The next step's kernel reads h_t from R for its
// product (the first step from the initial record). Backward, step t writes Q at (b, t) of one tensor
// [B, T, gradient·H]: the gate gradients (masked) and the carry: the part of ∂loss/∂h_{t-1} that bypasses
// the product (all of ∂loss/∂h_t on a padded step), and for an LSTM ∂loss/∂c_{t-1}. ∂loss/∂h_{t-1} is
// carry + dG_t·Uᵀ, which the next backward step's kernel computes.
//
// Why one tensor for all steps, written in place by each step's dispatch (tfjs's runner takes an output
// to write into), batch-major: no concat of T records after the loop, no transposes between time-major
// and batch-major ([B,T,In] in, [B,T,H] out), and the h rows for the recurrent weights' gradient are a
// column slice. Each of those was a dispatch and a full copy; on the SwiftShader emulator the concats
// alone took about a tenth of lm-lstm's step (scripts/bench/webgpuProfile.mts). WebGPU makes one
// dispatch's writes visible to the next dispatch's reads, so step t reads what step t−1 wrote.
//
// Why the product inside: every dispatch has a fixed cost, mostly on the host. On the SwiftShader
// emulator (scripts/bench/webgpuProfile.mts, lm-lstm B8 T100 H32): 0.11–0.14 ms of host time per dispatch
// inside tfjs's runWebGPUProgram (uniforms, bind group, recording), tfjs's op bookkeeping on top, and
// 0.04–0.13 ms on the device for a small elementwise kernel. A GPU runs the kernel faster but the host
// part is JavaScript and the driver's (not measured on a GPU), still most of a small step. A separate
// product took two more dispatches per step (the product and the slice feeding it). The dot products are
// plain loops over H (forward) or G (backward) per invocation, reading U in unit order, so neighbouring
// invocations read neighbouring weights. On the emulator such a loop measured as fast as tfjs's tiled
// matMul for [16,64]·[64,256]; for large H on a GPU a tiled product may use it better (not measured).
import * as tf from '@tensorflow/tfjs-core';
import type { CellResult, CellState, CellWeights } from '../recurrent.js';
import { runFused, stepAt, type RecurrentOptions } from '../sequence.js';
import { columnSums } from './columnSums.js';
import { embeddingGradient } from './embeddingGradient.js';
import { batchMajorMask, emptyTensor, HELPERS, program, run, transposed } from './webgpuPrograms.js';

/** One cell's part of the fused loop. Offsets and widths count in units of H. */
export interface FusedCell {
  /** Names the compiled shaders (one pair per cell variant, another with recurrent dropout). */
  key: string;
  /** Columns of the input projection and of the recurrent product: G = gates·H. */
  gates: number;
  /** The cell's forward record width (the loop adds H columns after it), where h_t (and c_t) stand. */
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
  /** The gates whose recurrent product reads h_{t-1} (the first ones); the rest take `second`'s. */
  productGates?: number;
  /**
   * A second kernel per step each way, for a cell whose remaining gates multiply U by something the
   * first kernel computed for every unit (a GRU with the reset before the product: (r ⊙ h)·Un). Forward,
   * `ps` is record column `at` (of this step, all units) · U's next gate for this unit; backward, `ps`
   * is gradient column `gradAt` (this step, all units) · that gate's rows of Uᵀ. Statements as above.
   */
  second?: { at: number; gradAt: number; forward: string; backward: string };
  /**
   * WGSL statements of one invocation (sequence b, unit j). Forward has H, B, b, j, m (1 on a real step),
   * xo (this unit's first gate in XZ), p0, p1, … (h_{t-1}·U for each gate of this unit), hIn (h_{t-1}[j]
   * as the product read it, ⊙ dropout), writes its record with `setOutputAtIndex(ro + column, value)` and
   * reads the previous one with `prev(po + column)`. Backward has dh (∂loss/∂h_t: product, carry and
   * output gradient), dropScale (this unit's dropout factor, else 1), reads its record as
   * `REC[ro + column]`, the previous one as `before(po + column)` and the step after's gradient record as
   * `after(no + column)`, and writes its own with `setOutputAtIndex(qo + column, value)`.
   */
  forward: string;
  backward: string;
}

/** The WGSL of one kernel: the names every cell's statements may use (see FusedCell), then theirs. */
function shader(functions: string, names: string, statements: string): string {
  return `${HELPERS}${functions}
  fn main(index : i32) {
    let H = uniforms.units;
    let B = uniforms.batch;
    let T = uniforms.time;
    if (index >= B * H) { return; }
    let b = index / H;
    let j = index - b * H;
    let m = M[b * T + uniforms.stepIndex];
    ${names}
    ${statements}
  }
`;
}

const productGates = (cell: FusedCell) => cell.productGates ?? cell.gates;

/** Record offset of (b, t) in R [B, T, W·H], or of b in the initial record [B, W·H] when t < 0. */
const slot = (width: number, t: string) =>
  `select((b * T + ${t}) * ${width} * H + j, b * ${width} * H + j, ${t} < 0)`;

// p0, p1, …: h_{t-1}[b,:] · U[:, gate·H + j] for each gate, in one pass over h_{t-1} (each h value read
// once for all gates). h_{t-1} is the previous record's h (the initial record's at the first step), U is
// [H, G]. With variational recurrent dropout the product reads h_{t-1} ⊙ D (D [B,H]).
function products(cell: FusedCell, d: string): string {
  const gates = Array.from({ length: productGates(cell) }, (_, g) => g);
  const loop = (source: string) =>
    `for (var k = 0; k < H; k++) {
        let hk = ${source}[row + k]${d};
        let u = k * G + j;
        ${gates.map((g) => `p${g} = p${g} + hk * U[u${g ? ` + ${g} * H` : ''}];`).join('\n        ')}
      }`;
  return `let G = ${cell.gates} * H;
    let row = po - j + ${cell.hAt} * H;
    ${gates.map((g) => `var p${g} = 0.0;`).join(' ')}
    if (uniforms.prevStep < 0) {
      ${loop('FIRST')}
    } else {
      ${loop('result')}
    }`;
}
const forwardShader = (cell: FusedCell, dropout: boolean, second = false) => {
  const W = cell.record + 1;
  const d = dropout ? ' * D[b * H + k]' : '';
  const places = `let xo = (b * T + uniforms.stepIndex) * ${cell.gates} * H + j;
    let ro = ${slot(W, 'uniforms.stepIndex')};
    let po = ${slot(W, 'uniforms.prevStep')};`;
  const functions = `
  fn prev(i : i32) -> f32 {
    if (uniforms.prevStep < 0) { return FIRST[i]; }
    return result[i];
  }`;
  if (second)
    return shader(
      functions,
      `${places}
    let G = ${cell.gates} * H;
    let srow = ro - j + ${cell.second!.at} * H;
    var ps = 0.0;
    for (var k = 0; k < H; k++) { ps = ps + result[srow + k] * U[k * G + ${productGates(cell)} * H + j]; }`,
      cell.second!.forward,
    );
  return shader(
    functions,
    `${places}
    let hIn = prev(po + ${cell.hAt} * H)${dropout ? ' * D[b * H + j]' : ''};
    ${products(cell, d)}`,
    `${cell.forward}
    setOutputAtIndex(ro + ${cell.record} * H, hIn);`,
  );
};

// The previous record, for a cell whose backward reads it (an unused binding would be stripped from the
// compiled shader, and tfjs binds every input it is given).
const readsBefore = (statements: string) => statements.includes('before(');
const BEFORE = `
  fn before(i : i32) -> f32 {
    if (uniforms.prevStep < 0) { return FIRST[i]; }
    return REC[i];
  }`;

// (dG_{t+1}[b,:] · U[j,:]): the recurrent-side gate gradients of the step after, times U's row j, read
// from Uᵀ [G,H] (made once per backward pass) so that neighbouring invocations (units j) read neighbouring
// weights, as in the forward product. With dropout, the product's gradient reaches h_{t-1} through D.
const backwardShader = (cell: FusedCell, dropout: boolean, second = false) => {
  const W = cell.record + 1;
  const places = `let ro = ${slot(W, 'uniforms.stepIndex')};
    let po = ${slot(W, 'uniforms.prevStep')};
    let qo = ${slot(cell.gradient, 'uniforms.stepIndex')};
    let dropScale = ${dropout ? 'D[b * H + j]' : '1.0'};`;
  if (second)
    return shader(
      readsBefore(cell.second!.backward) ? BEFORE : '',
      `${places}
    let qrow = qo - j + ${cell.second!.gradAt} * H;
    var ps = 0.0;
    let urow = ${productGates(cell)} * H;
    for (var k = 0; k < H; k++) { ps = ps + result[qrow + k] * UT[(urow + k) * H + j]; }`,
      cell.second!.backward,
    );
  return shader(
    `
${readsBefore(cell.backward) ? BEFORE : ''}  fn after(i : i32) -> f32 {
    if (uniforms.nextStep < 0) { return LAST[i]; }
    return result[i];
  }
  fn productGrad(no : i32, j : i32) -> f32 {
    let H = uniforms.units;
    let G = ${productGates(cell)} * H;
    let row = no - j + ${cell.recurrentGradAt} * H;
    if (uniforms.nextStep < 0) { return rowDot(row, j, G, true); }
    return rowDot(row, j, G, false);
  }
  // Four partial sums: four independent multiply-adds per iteration instead of one chain.
  fn rowDot(row : i32, j : i32, G : i32, last : bool) -> f32 {
    let H = uniforms.units;
    var a0 = 0.0;
    var a1 = 0.0;
    var a2 = 0.0;
    var a3 = 0.0;
    var k = 0;
    if (last) {
      for (; k + 3 < G; k += 4) {
        a0 = a0 + LAST[row + k] * UT[k * H + j];
        a1 = a1 + LAST[row + k + 1] * UT[(k + 1) * H + j];
        a2 = a2 + LAST[row + k + 2] * UT[(k + 2) * H + j];
        a3 = a3 + LAST[row + k + 3] * UT[(k + 3) * H + j];
      }
      for (; k < G; k++) { a0 = a0 + LAST[row + k] * UT[k * H + j]; }
    } else {
      for (; k + 3 < G; k += 4) {
        a0 = a0 + result[row + k] * UT[k * H + j];
        a1 = a1 + result[row + k + 1] * UT[(k + 1) * H + j];
        a2 = a2 + result[row + k + 2] * UT[(k + 2) * H + j];
        a3 = a3 + result[row + k + 3] * UT[(k + 3) * H + j];
      }
      for (; k < G; k++) { a0 = a0 + result[row + k] * UT[k * H + j]; }
    }
    return (a0 + a1) + (a2 + a3);
  }`,
    `${places}
    let no = ${slot(cell.gradient, 'uniforms.nextStep')};
    let dSeq = DSEQ[(b * T + uniforms.stepIndex) * H + j];
    let dh = productGrad(no, j) * dropScale + after(no + ${cell.carryAt} * H) + dSeq;`,
    cell.backward,
  );
};

/** The ids of a one-hot input (x = oneHot(ids), batch-major), checked against the shapes; else null. */
function oneHotIdsOf(opt: RecurrentOptions, B: number, T: number, In: number, kernel: tf.Tensor2D) {
  const ids = opt.oneHotIds;
  if (!ids) return null;
  if (ids.length !== B * T || In !== kernel.shape[0])
    throw new Error(`one-hot ids: ${ids.length} for input [${B},${T},${In}], kernel [${kernel.shape}]`);
  return ids;
}

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
  const W = cell.record + 1;
  const hasC = cell.cAt !== undefined;
  const h0 = init.h ?? tf.zeros([B, H]);
  const c0 = hasC ? (init.c ?? tf.zeros([B, H])) : undefined;
  const inputs: tf.Tensor[] = [x, w.kernel, w.recurrentKernel, w.bias, h0, ...(c0 ? [c0] : [])];
  const outs = runFused(inputs, (save) => {
    const [xs, kernel, recurrent, bias] = inputs as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor];
    const u = { units: H, batch: B, time: T };
    const xRows = tf.reshape(xs, [B * T, In]) as tf.Tensor2D; // batch-major rows (b, t)
    const biasRow = (row: number) => tf.reshape(tf.slice(bias, [row, 0], [1, G]), [G]);
    // A one-hot input's product is a row of the kernel: looked up, not multiplied (as on the host path).
    const ids = oneHotIdsOf(opt, B, T, In, kernel);
    const product = ids ? tf.gather(kernel, tf.tensor1d(ids, 'int32')) : tf.matMul(xRows, kernel);
    const xz = tf.add(product, cell.recurrentBias ? biasRow(0) : bias);
    const extras = cell.recurrentBias ? [biasRow(1)] : [];
    const mask = batchMajorMask(opt, B, T);
    const drop = opt.recurrentDropMask ? tf.tensor2d(opt.recurrentDropMask, [B, H]) : null;
    const dropped = drop ? [drop] : [];
    const key = `${cell.key}${drop ? 'Dropout' : ''}`;
    const first = recordOf(
      W,
      [
        [cell.hAt, h0],
        [cell.cAt, c0],
      ],
      B,
      H,
    );
    const names = ['XZ', 'U', ...(cell.recurrentBias ? ['BR'] : []), 'FIRST', 'M', ...(drop ? ['D'] : [])];
    const forward = program(`${key}Forward`, names, [B, T, W * H], B * H, forwardShader(cell, drop !== null));
    const second = cell.second;
    // The second kernel binds only what its statements read (tfjs binds every input it is given, and the
    // compiler strips unused bindings).
    const readsXz = second?.forward.includes('XZ[') ?? false;
    const readsFirst = second?.forward.includes('prev(') ?? false;
    const secondInputs = [...(readsXz ? [xz] : []), recurrent, ...(readsFirst ? [first] : []), mask];
    const secondNames = [...(readsXz ? ['XZ'] : []), 'U', ...(readsFirst ? ['FIRST'] : []), 'M'];
    const forward2 = second
      ? program(`${key}Forward2`, secondNames, [B, T, W * H], B * H, forwardShader(cell, drop !== null, true))
      : null;
    const records = emptyTensor([B, T, W * H]);
    for (let s = 0; s < T; s++) {
      const t = stepAt(s, T, opt.goBackwards);
      const steps = { step: t, prev: s === 0 ? -1 : stepAt(s - 1, T, opt.goBackwards), next: -1 };
      run(forward, [xz, recurrent, ...extras, first, mask, ...dropped], { ...u, ...steps }, records);
      if (forward2) run(forward2, secondInputs, { ...u, ...steps }, records);
    }
    const last = stepAt(T - 1, T, opt.goBackwards);
    const atLast = (at: number) => tf.reshape(tf.slice(records, [0, last, at * H], [B, 1, H]), [B, H]);
    const values = [tf.slice(records, [0, 0, cell.hAt * H], [B, T, H]), atLast(cell.hAt)];
    if (hasC) values.push(atLast(cell.cAt!));
    save([xRows, mask, first, records, ...dropped]);

    const backward = (dys: tf.Tensor[], kept: tf.Tensor[]) => {
      const [xRowsK, maskK, firstK, recordsK] = kept as [tf.Tensor2D, tf.Tensor, tf.Tensor, tf.Tensor];
      const dropK = drop ? kept[4]! : null;
      const droppedK = dropK ? [dropK] : [];
      const previous = readsBefore(cell.backward) ? [firstK] : [];
      const backNames = ['DSEQ', 'REC', ...(readsBefore(cell.backward) ? ['FIRST'] : []), 'M', 'UT', 'LAST'];
      if (dropK) backNames.push('D');
      const backText = backwardShader(cell, dropK !== null);
      const back = program(`${key}Backward`, backNames, [B, T, cell.gradient * H], B * H, backText);
      const before2 = second !== undefined && readsBefore(second.backward);
      const previous2 = before2 ? [firstK] : [];
      const back2 = second
        ? program(
            `${key}Backward2`,
            ['REC', ...(before2 ? ['FIRST'] : []), 'M', 'UT', ...(dropK ? ['D'] : [])],
            [B, T, cell.gradient * H],
            B * H,
            backwardShader(cell, dropK !== null, true),
          )
        : null;
      const lastQ = recordOf(
        cell.gradient,
        [
          [cell.carryAt, dys[1]],
          [cell.dcAt, dys[2]],
        ],
        B,
        H,
      );
      const qs = emptyTensor([B, T, cell.gradient * H]);
      const recurrentT = transposed(recurrent);
      for (let s = T - 1; s >= 0; s--) {
        const t = stepAt(s, T, opt.goBackwards);
        const prev = s === 0 ? -1 : stepAt(s - 1, T, opt.goBackwards);
        const next = s === T - 1 ? -1 : stepAt(s + 1, T, opt.goBackwards);
        const stepInputs = [dys[0]!, recordsK, ...previous, maskK, recurrentT, lastQ, ...droppedK];
        run(back, stepInputs, { ...u, step: t, prev, next }, qs);
        if (back2)
          run(
            back2,
            [recordsK, ...previous2, maskK, recurrentT, ...droppedK],
            { ...u, step: t, prev, next },
            qs,
          );
      }
      // ∂loss/∂h0: through the first step's product, plus what bypassed it.
      const t0 = stepAt(0, T, opt.goBackwards);
      const qFirst = (at: number, width: number) =>
        tf.reshape(tf.slice(qs, [0, t0, at * H], [B, 1, width]), [B, width]) as tf.Tensor2D;
      // (The gates of a second kernel reach h0 through its column, whose part is in the carry.)
      const P = productGates(cell) * H;
      const uFirst = P === G ? recurrent : tf.slice(recurrent, [0, 0], [H, P]);
      const throughProduct = tf.matMul(qFirst(cell.recurrentGradAt, P), uFirst, false, true);
      const dh0 = tf.add(dropK ? tf.mul(throughProduct, dropK) : throughProduct, qFirst(cell.carryAt, H));
      // Batch-major rows (b, t): one product per weight over all steps.
      const all = tf.reshape(qs, [B * T, cell.gradient * H]);
      const dGx = tf.slice(all, [0, cell.inputGradAt * H], [B * T, G]) as tf.Tensor2D;
      const dGr =
        cell.inputGradAt === cell.recurrentGradAt
          ? dGx
          : (tf.slice(all, [0, cell.recurrentGradAt * H], [B * T, G]) as tf.Tensor2D);
      // The h each step's product read (⊙ the dropout mask), in the same rows.
      const hIns = tf.reshape(tf.slice(recordsK, [0, 0, cell.record * H], [B, T, H]), [
        B * T,
        H,
      ]) as tf.Tensor2D;
      // With a second kernel, its gates' weights multiplied its column (e.g. r ⊙ h) instead of h.
      const recurrentGrad = (rows: tf.Tensor2D, dG: tf.Tensor2D) => {
        if (!second) return tf.matMul(rows, dG, true, false);
        const secondRows = tf.reshape(tf.slice(recordsK, [0, 0, second.at * H], [B, T, H]), [B * T, H]);
        const part = (from: number, width: number) => tf.slice(dG, [0, from], [B * T, width]) as tf.Tensor2D;
        return tf.concat(
          [
            tf.matMul(rows, part(0, P), true, false),
            tf.matMul(secondRows as tf.Tensor2D, part(P, G - P), true, false),
          ],
          1,
        );
      };
      const grads = [
        () => tf.reshape(tf.matMul(dGx, kernel, false, true), [B, T, In]),
        () => (ids ? embeddingGradient(dGx, ids, In) : tf.matMul(xRowsK, dGx, true, false)),
        () => recurrentGrad(hIns, dGr),
        () => (cell.recurrentBias ? tf.stack([columnSums(dGx), columnSums(dGr)]) : columnSums(dGx)),
        () => dh0,
      ];
      if (hasC) grads.push(() => qFirst(cell.dcAt!, H));
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

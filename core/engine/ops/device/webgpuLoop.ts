// The time loop every fused WGSL cell (webgpuLstm.ts, webgpuGru.ts, webgpuElman.ts) runs in: per time
// step the recurrent product (a matMul), the cell's fused elementwise kernel and one slice, forward and
// backward; the input projection of all steps one matMul before the loop, the weight gradients of all
// steps one matMul each after it (as cuDNN does). A cell brings only its gate maths (two WGSL bodies) and
// the layout of its records; masks, directions, initial and final states, what is kept for backward and
// the gradients of every input are the loop's.
//
// Forward, step t writes a record R_t [B, record·H] holding the cell's gates and its state (h, and c for
// an LSTM) already held over padded steps; the next step's product reads h_t through a slice. Backward,
// step t writes Q_t [B, gradient·H] holding the gate gradients (masked) and the carry: the part of
// ∂loss/∂h_{t-1} that bypasses the product (all of ∂loss/∂h_t on a padded step), and for an LSTM
// ∂loss/∂c_{t-1}. ∂loss/∂h_{t-1} is then carry + dG_t·Uᵀ, the next backward step's product.
import * as tf from '@tensorflow/tfjs-core';
import type { CellResult, CellState, CellWeights } from '../recurrent.js';
import { runFused, stepAt, type RecurrentOptions } from '../sequence.js';
import { HELPERS, program, run, timeMajorMask } from './webgpuPrograms.js';

/** One cell's part of the fused loop. Offsets and widths count in units of H. */
export interface FusedCell {
  /** Names the compiled shaders (one pair per cell variant). */
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
   * xo and uo (this unit's first gate in XZ and HU), ro (its record offset), and reads PREV; backward has
   * ro, qo (its gradient record offset) and dh (∂loss/∂h_t: product, carry and output gradient), and
   * reads REC, PREV (when it asks for it) and QN (the step after's gradient record).
   */
  forward: string;
  backward: string;
}

/** The WGSL of one kernel: the names every cell's statements may use (see FusedCell), then theirs. */
function shader(cell: FusedCell, names: string, statements: string): string {
  return `${HELPERS}
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

const forwardShader = (cell: FusedCell) =>
  shader(
    cell,
    `let xo = (uniforms.stepIndex * B + b) * ${cell.gates} * H + j;
    let uo = b * ${cell.gates} * H + j;`,
    cell.forward,
  );

const backwardShader = (cell: FusedCell) =>
  shader(
    cell,
    `let qo = b * ${cell.gradient} * H + j;
    let dSeq = DSEQ[(b * uniforms.time + uniforms.stepIndex) * H + j];
    let dh = DHU[b * H + j] + QN[qo + ${cell.carryAt} * H] + dSeq;`,
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
    const names = ['XZ', 'HU', ...(cell.recurrentBias ? ['BR'] : []), 'PREV', 'M'];
    const forward = program(`${cell.key}Forward`, names, [B, cell.record * H], B * H, forwardShader(cell));
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
    const hIns: tf.Tensor[] = new Array(T);
    let prev = first;
    for (let s = 0; s < T; s++) {
      const t = stepAt(s, T, opt.goBackwards);
      const hIn = s === 0 ? h0 : hOf(prev);
      const product = tf.matMul(hIn as tf.Tensor2D, recurrent);
      records[t] = run(forward, [xz, product, ...extras, prev, mask], { ...u, step: t });
      hIns[t] = hIn;
      prev = records[t]!;
    }
    const values = [tf.stack(records.map(hOf), 1), hOf(prev)];
    if (hasC) values.push(tf.slice(prev, [0, cell.cAt! * H], [B, H]));
    save([xTime, mask, first, ...records, ...hIns]);

    const backward = (dys: tf.Tensor[], kept: tf.Tensor[]) => {
      const [xRows, maskK, firstK] = kept as [tf.Tensor2D, tf.Tensor, tf.Tensor];
      const recs = kept.slice(3, 3 + T);
      const hInK = kept.slice(3 + T, 3 + 2 * T);
      const backNames = ['DSEQ', 'REC', ...(cell.backwardReadsPrevious ? ['PREV'] : []), 'M', 'DHU', 'QN'];
      const back = program(
        `${cell.key}Backward`,
        backNames,
        [B, cell.gradient * H],
        B * H,
        backwardShader(cell),
      );
      let q = recordOf(
        cell.gradient,
        [
          [cell.carryAt, dys[1]],
          [cell.dcAt, dys[2]],
        ],
        B,
        H,
      );
      let dhU: tf.Tensor = tf.zeros([B, H]);
      const qs: tf.Tensor[] = new Array(T);
      const dGu: tf.Tensor[] = new Array(T);
      for (let s = T - 1; s >= 0; s--) {
        const t = stepAt(s, T, opt.goBackwards);
        const before = s === 0 ? firstK : recs[stepAt(s - 1, T, opt.goBackwards)]!;
        const previous = cell.backwardReadsPrevious ? [before] : [];
        q = run(back, [dys[0]!, recs[t]!, ...previous, maskK, dhU, q], { ...u, step: t });
        qs[t] = q;
        dGu[t] = tf.slice(q, [0, cell.recurrentGradAt * H], [B, G]);
        dhU = tf.matMul(dGu[t] as tf.Tensor2D, recurrent, false, true);
      }
      const dh0 = tf.add(dhU, tf.slice(q, [0, cell.carryAt * H], [B, H]));
      // Time-major [T*B, G]: one product per weight over all steps.
      let dGx: tf.Tensor2D;
      let dGr: tf.Tensor2D;
      if (cell.inputGradAt === cell.recurrentGradAt) dGx = dGr = tf.concat(dGu, 0) as tf.Tensor2D;
      else {
        const all = tf.concat(qs, 0);
        dGx = tf.slice(all, [0, cell.inputGradAt * H], [T * B, G]) as tf.Tensor2D;
        dGr = tf.slice(all, [0, cell.recurrentGradAt * H], [T * B, G]) as tf.Tensor2D;
      }
      const grads = [
        () => tf.transpose(tf.reshape(tf.matMul(dGx, kernel, false, true), [T, B, In]), [1, 0, 2]),
        () => tf.matMul(xRows, dGx, true, false),
        () => tf.matMul(tf.concat(hInK, 0) as tf.Tensor2D, dGr, true, false),
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

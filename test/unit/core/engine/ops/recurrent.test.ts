// Fused Elman / LSTM / GRU ops against PyTorch: outputs, final states and every gradient (weights,
// input, initial states), unmasked, masked variable-length, and right-to-left.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, it } from 'vitest';
import { type CellConfig, runCell } from '../../../../../core/engine/ops/recurrent.js';
import { type FixtureTensor, expectClose, loadFixture, toTensor } from './torchFixtures.js';

interface LayerFixture {
  kind: 'elman' | 'lstm' | 'gru';
  params: { activation?: 'tanh' | 'relu'; resetAfter?: boolean };
  goBackwards: boolean;
  x: FixtureTensor;
  mask: FixtureTensor;
  h0: FixtureTensor;
  c0?: FixtureTensor;
  weights: Record<'kernel' | 'recurrentKernel' | 'bias', FixtureTensor>;
  dySequence: FixtureTensor;
  dyH: FixtureTensor;
  dyC?: FixtureTensor;
  sequence: FixtureTensor;
  h: FixtureTensor;
  c?: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}

const NAMES = ['elman-tanh', 'elman-relu', 'lstm', 'gru-reset-after', 'gru-reset-before'];
const VARIANTS = ['', '-masked', '-masked-backwards'];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(NAMES.flatMap((n) => VARIANTS.map((v) => `layer-${n}${v}`)))('%s', (name) => {
  it('matches PyTorch forward and all gradients', () => {
    const f = loadFixture<LayerFixture>('recurrent', name);
    const H = f.h0.shape[1]!;
    const cell: CellConfig = {
      kind: f.kind,
      units: H,
      activation: f.params.activation,
      resetAfter: f.params.resetAfter,
    };
    const x = toTensor(f.x) as tf.Tensor3D;
    const k = toTensor(f.weights.kernel) as tf.Tensor2D;
    const u = toTensor(f.weights.recurrentKernel) as tf.Tensor2D;
    const b = toTensor(f.weights.bias);
    const h0 = toTensor(f.h0) as tf.Tensor2D;
    const c0 = (f.c0 ? toTensor(f.c0) : tf.zeros([1, 1])) as tf.Tensor2D;
    const mask = Float32Array.from(f.mask.data);
    const lstm = f.kind === 'lstm';
    const run = (
      xi: tf.Tensor3D,
      ki: tf.Tensor2D,
      ui: tf.Tensor2D,
      bi: tf.Tensor,
      hi: tf.Tensor2D,
      ci: tf.Tensor2D,
    ) =>
      runCell(cell, xi, { kernel: ki, recurrentKernel: ui, bias: bi }, lstm ? { h: hi, c: ci } : { h: hi }, {
        mask,
        goBackwards: f.goBackwards,
      });
    const out = run(x, k, u, b, h0, c0);
    expectClose('sequence', out.sequence, f.sequence);
    expectClose('h', out.h, f.h);
    if (lstm) expectClose('c', out.c!, f.c!);

    const dySeq = toTensor(f.dySequence);
    const dyH = toTensor(f.dyH);
    const dyC = f.dyC ? toTensor(f.dyC) : null;
    const inputs = lstm ? [x, k, u, b, h0, c0] : [x, k, u, b, h0];
    const grads = tf.grads((...args: tf.Tensor[]) => {
      const [xi, ki, ui, bi, hi, ci] = args as [
        tf.Tensor3D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor,
        tf.Tensor2D,
        tf.Tensor2D,
      ];
      const r = run(xi, ki, ui, bi, hi, ci ?? c0);
      let loss = tf.add(tf.sum(tf.mul(r.sequence, dySeq)), tf.sum(tf.mul(r.h, dyH)));
      if (dyC && r.c) loss = tf.add(loss, tf.sum(tf.mul(r.c, dyC)));
      return loss as tf.Scalar;
    })(inputs);
    const names = ['x', 'kernel', 'recurrentKernel', 'bias', 'h0', 'c0'];
    grads.forEach((g, i) => expectClose(`d${names[i]}`, g, f.grads[names[i]!]!));
  });
});

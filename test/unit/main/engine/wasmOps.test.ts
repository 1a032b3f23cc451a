// The fused ops on the wasm backend (what the studio runs on most machines) against the same PyTorch
// fixtures as on cpu: forward and every gradient, masked, for each cell kind.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { selectBackend } from '../../../../main/engine/backend.js';
import { type CellConfig, runCell } from '../../../../core/engine/ops/recurrent.js';
import { type FixtureTensor, expectClose, loadFixture, toTensor } from '../../core/engine/ops/torchFixtures.js';

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
  grads: Record<string, FixtureTensor>;
}

beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['lstm-masked', 'gru-reset-after-masked-backwards', 'gru-reset-before-masked', 'elman-relu-masked'])('wasm: layer-%s', (name) => {
  it('matches PyTorch', () => {
    const f = loadFixture<LayerFixture>('recurrent', `layer-${name}`);
    const cell: CellConfig = { kind: f.kind, units: f.h0.shape[1]!, activation: f.params.activation, resetAfter: f.params.resetAfter };
    const lstm = f.kind === 'lstm';
    const inputs = [toTensor(f.x), toTensor(f.weights.kernel), toTensor(f.weights.recurrentKernel), toTensor(f.weights.bias), toTensor(f.h0)];
    if (lstm) inputs.push(toTensor(f.c0!));
    const mask = Float32Array.from(f.mask.data);
    const run = (t: tf.Tensor[]) =>
      runCell(cell, t[0] as tf.Tensor3D, { kernel: t[1] as tf.Tensor2D, recurrentKernel: t[2] as tf.Tensor2D, bias: t[3]! }, { h: t[4] as tf.Tensor2D, c: t[5] as tf.Tensor2D }, { mask, goBackwards: f.goBackwards });
    expectClose('sequence', run(inputs).sequence, f.sequence);
    const grads = tf.grads((...t: tf.Tensor[]) => {
      const r = run(t);
      let loss = tf.add(tf.sum(tf.mul(r.sequence, toTensor(f.dySequence))), tf.sum(tf.mul(r.h, toTensor(f.dyH))));
      if (r.c && f.dyC) loss = tf.add(loss, tf.sum(tf.mul(r.c, toTensor(f.dyC))));
      return loss as tf.Scalar;
    })(inputs);
    const names = ['x', 'kernel', 'recurrentKernel', 'bias', 'h0', 'c0'];
    grads.forEach((g, i) => expectClose(`d${names[i]}`, g, f.grads[names[i]!]!));
  });
});

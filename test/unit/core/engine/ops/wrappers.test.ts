// Bidirectional (every merge mode) and stacked (with and without residuals) recurrent layers against
// PyTorch, on masked variable-length batches: merged outputs and the gradient of every weight and the input.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, it } from 'vitest';
import {
  type CellConfig,
  type CellWeights,
  type MergeMode,
  bidirectionalSequence,
  stackSequence,
} from '../../../../../core/engine/ops/recurrent.js';
import { type FixtureTensor, expectClose, loadFixture, toTensor } from './torchFixtures.js';

type W = Record<'kernel' | 'recurrentKernel' | 'bias', FixtureTensor>;
interface Common {
  kind: CellConfig['kind'];
  params: { activation?: 'tanh' | 'relu'; resetAfter?: boolean };
  x: FixtureTensor;
  mask: FixtureTensor;
  dy: FixtureTensor;
  output: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}
const KEYS = ['kernel', 'recurrentKernel', 'bias'] as const;

function cellOf(f: Common, w: W): CellConfig {
  return {
    kind: f.kind,
    units: w.recurrentKernel.shape[0]!,
    activation: f.params.activation,
    resetAfter: f.params.resetAfter,
  };
}
function weightsOf(w: tf.Tensor[]): CellWeights {
  return { kernel: w[0] as tf.Tensor2D, recurrentKernel: w[1] as tf.Tensor2D, bias: w[2]! };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(['lstm-concat', 'lstm-sum', 'lstm-average', 'lstm-multiply', 'gru-concat'])(
  'bidirectional-%s',
  (name) => {
    it('matches PyTorch output and gradients', () => {
      const f = loadFixture<Common & { merge: MergeMode; forward: W; backward: W }>(
        'recurrent',
        `bidirectional-${name}`,
      );
      const cell = cellOf(f, f.forward);
      const mask = Float32Array.from(f.mask.data);
      const x = toTensor(f.x) as tf.Tensor3D;
      const params = [
        ...KEYS.map((k) => toTensor(f.forward[k])),
        ...KEYS.map((k) => toTensor(f.backward[k])),
      ];
      const run = (xi: tf.Tensor3D, p: tf.Tensor[]) =>
        bidirectionalSequence(cell, xi, weightsOf(p.slice(0, 3)), weightsOf(p.slice(3)), f.merge, { mask })
          .sequence;
      expectClose('output', run(x, params), f.output);
      const dy = toTensor(f.dy);
      const grads = tf.grads(
        (...a: tf.Tensor[]) => tf.sum(tf.mul(run(a[0] as tf.Tensor3D, a.slice(1)), dy)) as tf.Scalar,
      )([x, ...params]);
      const names = ['x', ...KEYS.map((k) => `forward/${k}`), ...KEYS.map((k) => `backward/${k}`)];
      grads.forEach((g, i) => expectClose(`d${names[i]}`, g, f.grads[names[i]!]!));
    });
  },
);

describe.each(['lstm-residual', 'gru', 'elman-residual'])('stack-%s', (name) => {
  it('matches PyTorch output and gradients', () => {
    const f = loadFixture<Common & { residual: boolean; layers: W[] }>('recurrent', `stack-${name}`);
    const cell = cellOf(f, f.layers[0]!);
    const mask = Float32Array.from(f.mask.data);
    const x = toTensor(f.x) as tf.Tensor3D;
    const params = f.layers.flatMap((l) => KEYS.map((k) => toTensor(l[k])));
    const run = (xi: tf.Tensor3D, p: tf.Tensor[]) =>
      stackSequence(cell, xi, [weightsOf(p.slice(0, 3)), weightsOf(p.slice(3))], {
        residual: f.residual,
        recurrent: { mask },
      }).sequence;
    expectClose('output', run(x, params), f.output);
    const dy = toTensor(f.dy);
    const grads = tf.grads(
      (...a: tf.Tensor[]) => tf.sum(tf.mul(run(a[0] as tf.Tensor3D, a.slice(1)), dy)) as tf.Scalar,
    )([x, ...params]);
    const names = ['x', ...[0, 1].flatMap((l) => KEYS.map((k) => `${l}/${k}`))];
    grads.forEach((g, i) => expectClose(`d${names[i]}`, g, f.grads[names[i]!]!));
  });
});

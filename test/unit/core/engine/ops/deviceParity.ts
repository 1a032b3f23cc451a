// The PyTorch recurrent-layer fixtures run through runCell on whatever backend and path is active,
// reading results asynchronously (webgpu cannot read synchronously in Node). Shared by the host-path
// tests on cpu (recurrent.test.ts) and wasm (main/engine/wasmOps.test.ts) and the device-path tests on
// cpu (devicePath.test.ts) and webgpu (webgpu/deviceParity.test.ts): one check, every backend and path.
import * as tf from '@tensorflow/tfjs-core';
import {
  type CellConfig,
  type CellWeights,
  type MergeMode,
  bidirectionalSequence,
  runCell,
  stackSequence,
} from '../../../../../core/engine/ops/recurrent.js';
import { type FixtureTensor, expectValuesClose, loadFixture, toTensor } from './torchFixtures.js';

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
export const LAYER_FIXTURES = NAMES.flatMap((n) => VARIANTS.map((v) => `layer-${n}${v}`));

async function expectTensorClose(label: string, t: tf.Tensor, f: FixtureTensor): Promise<void> {
  expectValuesClose(label, t.shape, await t.data(), f);
}

/** Forward outputs and every gradient of fixture `name` against PyTorch (1e-4, relative above 1). */
export async function checkLayerFixture(name: string): Promise<void> {
  const f = loadFixture<LayerFixture>('recurrent', name);
  const H = f.h0.shape[1]!;
  const cell: CellConfig = {
    kind: f.kind,
    units: H,
    activation: f.params.activation,
    resetAfter: f.params.resetAfter,
  };
  const lstm = f.kind === 'lstm';
  const mask = Float32Array.from(f.mask.data);
  const dySeq = toTensor(f.dySequence);
  const dyH = toTensor(f.dyH);
  const dyC = f.dyC ? toTensor(f.dyC) : null;
  const inputs = [
    f.x,
    f.weights.kernel,
    f.weights.recurrentKernel,
    f.weights.bias,
    f.h0,
    ...(lstm ? [f.c0!] : []),
  ].map(toTensor);
  const run = (args: tf.Tensor[]) =>
    runCell(
      cell,
      args[0] as tf.Tensor3D,
      { kernel: args[1] as tf.Tensor2D, recurrentKernel: args[2] as tf.Tensor2D, bias: args[3]! },
      lstm ? { h: args[4] as tf.Tensor2D, c: args[5] as tf.Tensor2D } : { h: args[4] as tf.Tensor2D },
      { mask, goBackwards: f.goBackwards },
    );
  const out = run(inputs);
  await expectTensorClose('sequence', out.sequence, f.sequence);
  await expectTensorClose('h', out.h, f.h);
  if (lstm) await expectTensorClose('c', out.c!, f.c!);
  const grads = tf.grads((...args: tf.Tensor[]) => {
    const r = run(args);
    let loss = tf.add(tf.sum(tf.mul(r.sequence, dySeq)), tf.sum(tf.mul(r.h, dyH)));
    if (dyC && r.c) loss = tf.add(loss, tf.sum(tf.mul(r.c, dyC)));
    return loss as tf.Scalar;
  })(inputs);
  const names = ['x', 'kernel', 'recurrentKernel', 'bias', 'h0', 'c0'];
  for (const [i, g] of grads.entries()) await expectTensorClose(`d${names[i]}`, g, f.grads[names[i]!]!);
  tf.dispose([
    ...inputs,
    ...grads,
    out.sequence,
    out.h,
    ...(out.c ? [out.c] : []),
    dySeq,
    dyH,
    ...(dyC ? [dyC] : []),
  ]);
}

type W = Record<'kernel' | 'recurrentKernel' | 'bias', FixtureTensor>;
interface WrapperFixture {
  kind: CellConfig['kind'];
  params: { activation?: 'tanh' | 'relu'; resetAfter?: boolean };
  x: FixtureTensor;
  mask: FixtureTensor;
  dy: FixtureTensor;
  output: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}
const KEYS = ['kernel', 'recurrentKernel', 'bias'] as const;
export const BIDIRECTIONAL_FIXTURES = [
  'lstm-concat',
  'lstm-sum',
  'lstm-average',
  'lstm-multiply',
  'gru-concat',
];
export const STACK_FIXTURES = ['lstm-residual', 'gru', 'elman-residual'];

const weightsOf = (w: tf.Tensor[]): CellWeights => ({
  kernel: w[0] as tf.Tensor2D,
  recurrentKernel: w[1] as tf.Tensor2D,
  bias: w[2]!,
});

async function checkWrapper(
  f: WrapperFixture,
  params: tf.Tensor[],
  names: string[],
  run: (x: tf.Tensor3D, p: tf.Tensor[]) => tf.Tensor,
): Promise<void> {
  const x = toTensor(f.x) as tf.Tensor3D;
  const out = run(x, params);
  await expectTensorClose('output', out, f.output);
  const dy = toTensor(f.dy);
  const grads = tf.grads(
    (...a: tf.Tensor[]) => tf.sum(tf.mul(run(a[0] as tf.Tensor3D, a.slice(1)), dy)) as tf.Scalar,
  )([x, ...params]);
  for (const [i, g] of grads.entries()) await expectTensorClose(`d${names[i]}`, g, f.grads[names[i]!]!);
  tf.dispose([x, out, dy, ...params, ...grads]);
}

/** A bidirectional layer (merge mode from the fixture) on a masked batch: output and every gradient. */
export async function checkBidirectionalFixture(name: string): Promise<void> {
  const f = loadFixture<WrapperFixture & { merge: MergeMode; forward: W; backward: W }>(
    'recurrent',
    `bidirectional-${name}`,
  );
  const cell: CellConfig = {
    kind: f.kind,
    units: f.forward.recurrentKernel.shape[0]!,
    activation: f.params.activation,
    resetAfter: f.params.resetAfter,
  };
  const mask = Float32Array.from(f.mask.data);
  const params = [...KEYS.map((k) => toTensor(f.forward[k])), ...KEYS.map((k) => toTensor(f.backward[k]))];
  const names = ['x', ...KEYS.map((k) => `forward/${k}`), ...KEYS.map((k) => `backward/${k}`)];
  await checkWrapper(f, params, names, (x, p) => {
    const r = bidirectionalSequence(cell, x, weightsOf(p.slice(0, 3)), weightsOf(p.slice(3)), f.merge, {
      mask,
    });
    return r.sequence;
  });
}

/** A two-layer stack (residual from the fixture) on a masked batch: output and every gradient. */
export async function checkStackFixture(name: string): Promise<void> {
  const f = loadFixture<WrapperFixture & { residual: boolean; layers: W[] }>('recurrent', `stack-${name}`);
  const cell: CellConfig = {
    kind: f.kind,
    units: f.layers[0]!.recurrentKernel.shape[0]!,
    activation: f.params.activation,
    resetAfter: f.params.resetAfter,
  };
  const mask = Float32Array.from(f.mask.data);
  const params = f.layers.flatMap((l) => KEYS.map((k) => toTensor(l[k])));
  const names = ['x', ...[0, 1].flatMap((l) => KEYS.map((k) => `${l}/${k}`))];
  await checkWrapper(f, params, names, (x, p) => {
    const layers = [weightsOf(p.slice(0, 3)), weightsOf(p.slice(3))];
    return stackSequence(cell, x, layers, { residual: f.residual, recurrent: { mask } }).sequence;
  });
}

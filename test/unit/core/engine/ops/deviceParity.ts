// The PyTorch recurrent-layer fixtures run through runCell on whatever backend and path is active,
// reading results asynchronously (webgpu cannot read synchronously in Node). Shared by the device-path
// tests on cpu (core/engine/ops/devicePath.test.ts) and on webgpu (webgpu/deviceParity.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { type CellConfig, runCell } from '../../../../../core/engine/ops/recurrent.js';
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

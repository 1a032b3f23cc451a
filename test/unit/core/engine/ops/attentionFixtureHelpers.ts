// Loads the PyTorch reference fixtures of scripts/reference/fixtures_attention.py and compares tensors by
// relative error (max |ours - torch| / max |torch|), held to 1e-4.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../../../../core/engine/gradients.js';

const dir = fileURLToPath(new URL('../../../../fixtures/torch/attention/', import.meta.url));

export interface TorchFixture {
  name: string;
  config: Record<string, unknown>;
  tensors: Record<string, { shape: number[]; data: number[] }>;
}

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
}

export function loadFixture(name: string): TorchFixture {
  return JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as TorchFixture;
}

export function tensorOf(f: TorchFixture, name: string): tf.Tensor {
  const t = f.tensors[name];
  if (!t) throw new Error(`fixture ${f.name} has no tensor '${name}'`);
  return tf.tensor(t.data, t.shape, 'float32');
}

/** Relative error of `ours` against the fixture tensor `name`; throws on a shape mismatch. */
export function relativeError(f: TorchFixture, name: string, ours: tf.Tensor): number {
  const ref = f.tensors[name];
  if (!ref) throw new Error(`fixture ${f.name} has no tensor '${name}'`);
  if (JSON.stringify(ref.shape) !== JSON.stringify(ours.shape)) {
    throw new Error(`${f.name}/${name}: shape ${JSON.stringify(ours.shape)} vs torch ${JSON.stringify(ref.shape)}`);
  }
  const got = ours.dataSync();
  let diff = 0;
  let scale = 0;
  ref.data.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(got[i]! - v));
    scale = Math.max(scale, Math.abs(v));
  });
  return scale === 0 ? diff : diff / scale;
}

// Inference runs on whatever backend the process already uses (the host's, a test's); when none is set
// up yet it climbs the studio's backend ladder once.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../engine/backend.js';

let ready: Promise<unknown> | null = null;

export function ensureBackend(): Promise<unknown> {
  ready ??= (async () => {
    try {
      tf.backend();
      return;
    } catch {
      // No backend initialised yet.
    }
    await selectBackend('auto');
  })();
  return ready;
}

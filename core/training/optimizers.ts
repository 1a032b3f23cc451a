// Optimizers written on tfjs-core ops, following PyTorch's update rules (torch.optim SGD, Adam, AdamW,
// RMSprop with default flags) so runs compare with the PyTorch export. Written here rather than taken
// from tfjs because their whole state (slots and step count) must be saved in checkpoints and restored
// exactly for `--resume`, and tfjs has no AdamW.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedWeight } from '../engine/types.js';
import type { OptimizerConfig } from './config.js';
import { sameShape, saveTensor, type SavedTensor } from './tensors.js';
import { webgpuAdamApplies, webgpuAdamStep } from './webgpuAdam.js';
import { wasmAdamStep } from './wasmAdam.js';

/** Everything an optimizer remembers between updates; slots are named `${weight}#${slot}`. */
export interface OptimizerState {
  kind: OptimizerConfig['kind'];
  /** Updates applied so far (Adam's bias correction uses it). */
  step: number;
  slots: SavedTensor[];
}

export class Optimizer {
  private step = 0;
  private readonly slots = new Map<string, tf.Variable>();

  constructor(readonly config: OptimizerConfig) {}

  get updates(): number {
    return this.step;
  }

  private slot(weight: NamedWeight, name: string): tf.Variable {
    const key = `${weight.name}#${name}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = tf.variable(tf.zerosLike(weight.variable), false);
      this.slots.set(key, slot);
    }
    return slot;
  }

  /** One update of every weight that has a gradient, at the given learning rate. */
  apply(weights: NamedWeight[], grads: Record<string, tf.Tensor>, learningRate: number): void {
    this.step += 1;
    const c = this.config;
    const t = this.step;
    tf.tidy(() => {
      for (const weight of weights) {
        const raw = grads[weight.name];
        if (!raw) continue;
        const w = weight.variable;
        // Classic L2 decay is part of the gradient; AdamW's decoupled decay shrinks the weight instead.
        const g = c.weightDecay > 0 && c.kind !== 'adamw' ? tf.add(raw, tf.mul(w, c.weightDecay)) : raw;
        switch (c.kind) {
          case 'sgd': {
            let step: tf.Tensor = g;
            if (c.momentum > 0) {
              const buf = this.slot(weight, 'momentum');
              buf.assign(tf.add(tf.mul(buf, c.momentum), g));
              step = c.nesterov ? tf.add(g, tf.mul(buf, c.momentum)) : buf;
            }
            w.assign(tf.sub(w, tf.mul(step, learningRate)));
            break;
          }
          case 'adam':
          case 'adamw': {
            if (c.kind === 'adamw' && c.weightDecay > 0)
              w.assign(tf.mul(w, 1 - learningRate * c.weightDecay));
            const m = this.slot(weight, 'm');
            const v = this.slot(weight, 'v');
            // One kernel for the whole update where the backend has one (webgpu; wasm: one pass in wasm
            // memory), else the tf ops below; all three give the same values.
            const constants = { beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon, learningRate, step: t };
            const next = webgpuAdamApplies()
              ? webgpuAdamStep(w, g, m, v, constants)
              : wasmAdamStep(w, g, m, v, constants);
            if (next) {
              m.assign(next[0]);
              v.assign(next[1]);
              w.assign(next[2]);
              break;
            }
            m.assign(tf.add(tf.mul(m, c.beta1), tf.mul(g, 1 - c.beta1)));
            v.assign(tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2)));
            const mHat = tf.div(m, 1 - c.beta1 ** t);
            const vHat = tf.div(v, 1 - c.beta2 ** t);
            w.assign(tf.sub(w, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), c.epsilon)), learningRate)));
            break;
          }
          case 'rmsprop': {
            const v = this.slot(weight, 'square');
            v.assign(tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2)));
            const scaled = tf.div(g, tf.add(tf.sqrt(v), c.epsilon));
            if (c.momentum > 0) {
              const buf = this.slot(weight, 'momentum');
              buf.assign(tf.add(tf.mul(buf, c.momentum), scaled));
              w.assign(tf.sub(w, tf.mul(buf, learningRate)));
            } else {
              w.assign(tf.sub(w, tf.mul(scaled, learningRate)));
            }
            break;
          }
        }
      }
    });
  }

  async getState(): Promise<OptimizerState> {
    const slots = await Promise.all([...this.slots.entries()].map(([key, v]) => saveTensor(key, v)));
    return { kind: this.config.kind, step: this.step, slots };
  }

  /** Restore a saved state; a state from another optimizer kind or shape is refused with a clear message. */
  setState(state: OptimizerState, weights: NamedWeight[]): void {
    if (state.kind !== this.config.kind) {
      throw new Error(`The checkpoint was trained with ${state.kind}, this run uses ${this.config.kind}.`);
    }
    const byName = new Map(weights.map((w) => [w.name, w]));
    this.disposeSlots();
    for (const slot of state.slots) {
      const weightName = slot.name.slice(0, slot.name.lastIndexOf('#'));
      const weight = byName.get(weightName);
      // A weight the model no longer has (a checkpoint of an older studio that declared a bridge it never
      // used): restoreWeights drops its value, its slots go with it.
      if (!weight) continue;
      if (!sameShape(weight.variable.shape, slot.shape)) {
        throw new Error(
          `Optimizer state for "${weightName}" has shape [${slot.shape}], the weight ` +
            `[${weight.variable.shape}].`,
        );
      }
      // tidy frees the initial value; the variable itself survives it.
      this.slots.set(
        slot.name,
        tf.tidy(() => tf.variable(tf.tensor(slot.data, slot.shape, 'float32'), false)),
      );
    }
    this.step = state.step;
  }

  private disposeSlots(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
  }

  dispose(): void {
    this.disposeSlots();
  }
}

// The same configs built with plain tfjs-layers (its own LSTM/GRU cells, per-step op chains), trained
// with the same Adam, so the ratio shows what the fused ops buy on the same backend.
// Porting note: recurrentInitializer is glorotUniform, not tfjs's orthogonal default, which takes minutes
// above 128 units (DESIGN.md); initialisation does not change the step time. tfjs-layers' GRU has no
// resetAfter option (it applies the reset gate before the recurrent product); the cost is the same.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type BenchConfig, randomInts } from './configs.js';

const rec = { recurrentInitializer: 'glorotUniform' as const };

function sparseCE(logits: tf.Tensor, labels: tf.Tensor, classes: number): tf.Scalar {
  const flat = tf.reshape(logits, [-1, classes]);
  const oh = tf.oneHot(tf.reshape(labels, [-1]) as tf.Tensor1D, classes);
  // The same loss formula as the engine's (core/engine/losses.ts), so the comparison is of the layers alone.
  return tf.mean(tf.neg(tf.sum(tf.mul(tf.logSoftmax(flat), oh), 1))) as tf.Scalar;
}

function ids(shape: [number, number], n: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(randomInts(shape[0] * shape[1], n, seed), shape, 'int32');
}

function build(c: BenchConfig): {
  model: tfl.LayersModel;
  inputs: tf.Tensor[];
  labels: tf.Tensor;
  classes: number;
} {
  const { B, T, V, H } = c;
  switch (c.name) {
    case 'lm-lstm': {
      const model = tfl.sequential({
        layers: [
          tfl.layers.lstm({ units: H, returnSequences: true, inputShape: [T, V], ...rec }),
          tfl.layers.dense({ units: V }),
        ],
      });
      return {
        model,
        // float32 one-hot made directly: on webgpu, tf.cast of an int32 one-hot keeps its int32 buffer
        // and the LSTM's transpose of it fails to compile (tfjs-backend-webgpu 4.22).
        inputs: [tf.oneHot(ids([B, T], V, 1), V, 1, 0, 'float32')],
        labels: ids([B, T], V, 2),
        classes: V,
      };
    }
    case 'cls-gru': {
      const model = tfl.sequential({
        layers: [
          tfl.layers.embedding({ inputDim: V, outputDim: c.E!, inputLength: T }),
          tfl.layers.gru({ units: H, ...rec }),
          tfl.layers.dense({ units: c.C! }),
        ],
      });
      return {
        model,
        inputs: [ids([B, T], V, 1)],
        labels: tf.tensor1d(randomInts(B, c.C!, 2), 'int32'),
        classes: c.C!,
      };
    }
    case 'tag-bilstm': {
      const model = tfl.sequential({
        layers: [
          tfl.layers.embedding({ inputDim: V, outputDim: c.E!, inputLength: T }),
          tfl.layers.bidirectional({
            layer: tfl.layers.lstm({ units: H, returnSequences: true, ...rec }) as unknown as tfl.RNN,
            mergeMode: 'concat',
          }),
          tfl.layers.dense({ units: c.C! }),
        ],
      });
      return { model, inputs: [ids([B, T], V, 1)], labels: ids([B, T], c.C!, 2), classes: c.C! };
    }
    case 's2s-attn': {
      const S = c.S!;
      const src = tfl.input({ shape: [S], dtype: 'int32' });
      const tgt = tfl.input({ shape: [T], dtype: 'int32' });
      const [eo, eh] = tfl.layers
        .gru({ units: H, returnSequences: true, returnState: true, ...rec })
        .apply(tfl.layers.embedding({ inputDim: V, outputDim: c.E! }).apply(src)) as tfl.SymbolicTensor[];
      const decoder = tfl.layers.gru({ units: H, returnSequences: true, ...rec });
      const dout = decoder.apply(tfl.layers.embedding({ inputDim: V, outputDim: c.E! }).apply(tgt), {
        initialState: [eh],
      }) as tfl.SymbolicTensor;
      const scores = tfl.layers.dot({ axes: [2, 2] }).apply([dout, eo!]) as tfl.SymbolicTensor; // [B,T,S]
      const weights = tfl.layers.softmax({ axis: -1 }).apply(scores) as tfl.SymbolicTensor;
      const ctx = tfl.layers.dot({ axes: [2, 1] }).apply([weights, eo!]) as tfl.SymbolicTensor; // [B,T,H]
      const joined = tfl.layers.concatenate().apply([dout, ctx]) as tfl.SymbolicTensor;
      const comb = tfl.layers.dense({ units: H, activation: 'tanh' }).apply(joined) as tfl.SymbolicTensor;
      const out = tfl.layers.dense({ units: V }).apply(comb) as tfl.SymbolicTensor;
      const model = tfl.model({ inputs: [src, tgt], outputs: out });
      return { model, inputs: [ids([B, S], V, 1), ids([B, T], V, 2)], labels: ids([B, T], V, 3), classes: V };
    }
  }
}

export function layersStep(c: BenchConfig): { step: () => Promise<void>; dispose: () => void } {
  const { model, inputs, labels, classes } = build(c);
  const optimizer = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return {
    step: async () => {
      const loss = optimizer.minimize(
        () => sparseCE(model.apply(inputs, { training: true }) as tf.Tensor, labels, classes),
        true,
        vars,
      );
      // Waits for the step as a user's loop would; asynchronously: webgpu has no synchronous read in Node.
      await loss?.data();
      loss?.dispose();
    },
    dispose: () => {
      optimizer.dispose();
      model.dispose();
      tf.dispose([...inputs, labels]);
    },
  };
}

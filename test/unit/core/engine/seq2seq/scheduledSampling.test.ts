// Scheduled sampling in drawn graphs (decoder teacherForcing < 1, compiled by core/engine/compile.ts):
// the target input is mixed with the model's own predictions before the training pass. Checked: the mixing
// rule itself; a teacherForcing of 0 trains on exactly the batch whose target input is the model's argmax
// predictions (loss equal to a teacher-forced pass on that hand-built batch); 1 is plain teacher forcing;
// evaluation never samples; and a graph with teacherForcing 0.5 trains (loss falls).
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../../../../../core/data/batch.js';
import { compileGraph } from '../../../../../core/engine/compile.js';
import { seeded } from '../../../../../core/engine/init.js';
import { mixTargetInputs, samplingRate } from '../../../../../core/engine/seq2seq/scheduledSampling.js';
import type { GraphInference } from '../../../../../core/graph/infer.js';
import type { Graph } from '../../../../../core/graph/types.js';
import { encoderDecoderGraph } from '../../../../../core/graph/build.js';
import { reversalBatch, useCpu } from './helpers.js';

beforeAll(useCpu);

const V = 8;

function graph(teacherForcing: number): Graph {
  return encoderDecoderGraph({
    vocabulary: V,
    dimension: 6,
    encoder: { layer: { kind: 'gru', params: { units: 12 } } },
    decoder: { layer: { kind: 'gru', params: { units: 12 } }, teacherForcing },
    attention: { score: 'general' },
  });
}

const lossOf = (r: { loss: tf.Scalar }) => r.loss.dataSync()[0]!;

describe('scheduled sampling in compiled graphs', () => {
  it('mixes only real steps after the start symbol, with the prediction for the previous position', () => {
    const batch = reversalBatch(6, 5, V, 2);
    const [b, t] = batch.targetIn!.shape as [number, number];
    // recognisable fake ids
    const predicted = tf.tensor2d(
      Int32Array.from({ length: b * t }, (_, i) => 100 + i),
      [b, t],
      'int32',
    );
    const mixed = (rate: number, random: () => number) =>
      tf.tidy(() => Int32Array.from(mixTargetInputs(batch, predicted, rate, random).dataSync()));
    expect(mixed(1, seeded(1))).toEqual(batch.targetIn!.data);
    const all = mixed(0, seeded(1));
    for (let i = 0; i < b * t; i++) {
      const real = batch.targetMask!.data[i]! > 0;
      expect(all[i], `position ${i}`).toBe(i % t === 0 || !real ? batch.targetIn!.data[i] : 100 + i - 1);
    }
    const half = mixed(0.5, seeded(3));
    const eligible = Array.from({ length: b * t }, (_, i) => i).filter(
      (i) => i % t > 0 && batch.targetMask!.data[i]! > 0,
    );
    const replaced = eligible.filter((i) => half[i]! >= 100).length;
    expect(replaced).toBeGreaterThan(0);
    expect(replaced).toBeLessThan(eligible.length);
    expect(mixed(0.5, seeded(3))).toEqual(half); // seeded: repeatable
    predicted.dispose();
  });

  it(
    "teacherForcing 0 trains on the model's own argmax predictions; " +
      '1 is teacher forcing; evaluation never samples',
    () => {
      const batch = reversalBatch(5, 5, V, 4);
      // Two compiles with the same seed have the same weights (teacherForcing adds none); tfjs names
      // variables globally, so one model at a time.
      const forced = compileGraph(graph(1), { task: 'seq2seq', seed: 6 });
      let own: Batch;
      let lossOnOwn: number;
      let lossForced: number;
      let evalForced: number;
      try {
        const mixed = tf.tidy(() =>
          mixTargetInputs(
            batch,
            tf.argMax(forced.forward(batch, { training: false }).outputs.next!, -1),
            0,
            () => 0.5,
          ),
        );
        own = { ...batch, targetIn: { ...batch.targetIn!, data: Int32Array.from(mixed.dataSync()) } };
        mixed.dispose();
        // an untrained model guesses wrong somewhere
        expect(own.targetIn!.data).not.toEqual(batch.targetIn!.data);
        lossOnOwn = tf.tidy(() => lossOf(forced.forward(own, { training: true })));
        lossForced = tf.tidy(() => lossOf(forced.forward(batch, { training: true })));
        evalForced = tf.tidy(() => lossOf(forced.forward(batch, { training: false })));
      } finally {
        forced.dispose();
      }
      const sampled = compileGraph(graph(0), { task: 'seq2seq', seed: 6 });
      try {
        const lossSampled = tf.tidy(() => lossOf(sampled.forward(batch, { training: true })));
        expect(Math.abs(lossSampled - lossOnOwn)).toBeLessThan(1e-6);
        expect(Math.abs(lossSampled - lossForced)).toBeGreaterThan(1e-4);
        const evalSampled = tf.tidy(() => lossOf(sampled.forward(batch, { training: false })));
        expect(Math.abs(evalSampled - evalForced)).toBeLessThan(1e-6);
      } finally {
        sampled.dispose();
      }
    },
  );

  it('a graph with teacherForcing 0.5 trains (loss falls on a fixed batch)', () => {
    const model = compileGraph(graph(0.5), { task: 'seq2seq', seed: 2 });
    const batch = reversalBatch(8, 4, V, 9);
    const optimizer = tf.train.adam(0.02);
    const vars = model.weights.map((w) => w.variable);
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => model.forward(batch, { training: true }).loss, vars);
        losses.push(value.dataSync()[0]!);
        optimizer.applyGradients(grads as Record<string, tf.Variable>);
      });
    }
    expect(losses[39]!).toBeLessThan(losses[0]! * 0.5);
    model.dispose();
  });

  it('refuses decoders that read one target input with different teacher forcing, naming both', () => {
    const node = (teacherForcing: number) => ({ kind: 'decoder', params: { teacherForcing } });
    const inference = (nodes: Record<string, unknown>) => ({ nodes }) as unknown as GraphInference;
    expect(samplingRate(inference({ dec: node(1), enc: { kind: 'encoder', params: {} } }))).toBeNull();
    expect(samplingRate(inference({ dec: node(0.7) }))).toBe(0.7);
    expect(() => samplingRate(inference({ dec: node(0.5), dec2: node(0.8) }))).toThrow(
      /"dec" and "dec2".*0\.5 and 0\.8/,
    );
  });
});

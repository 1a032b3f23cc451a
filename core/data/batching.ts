// Encoded examples → padded Batches (core/data/batch.ts). Each batch is padded to its own longest
// example, so grouping examples of similar length (bucketing) saves most of the padding: examples are
// shuffled, then sorted by length inside windows of `pool` batches, cut into batches, and the batch order
// shuffled again, so each epoch still sees a fresh mix.
import type { Batch, BatchTensor } from './batch.js';
import type { EncodedExample } from './encode.js';
import { createRandom, type Random } from './random.js';
import type { TaskId } from './spec.js';
import { BOS, EOS } from './tokenizers/vocabulary.js';

const ints = (shape: number[]): BatchTensor => ({
  dtype: 'int32',
  shape,
  data: new Int32Array(shape.reduce((a, b) => a * b, 1)),
});
const floats = (shape: number[]): BatchTensor => ({
  dtype: 'float32',
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
});

/** Pads one group of examples into a Batch for the task (padding id 0, mask 1 on real steps). */
export function padBatch(task: TaskId, examples: readonly EncodedExample[]): Batch {
  const B = examples.length;
  if (B === 0) throw new Error('padBatch: no examples');
  const batch: Batch = {};
  if (task === 'seq2seq') {
    const S = Math.max(1, ...examples.map((e) => e.source?.length ?? 0));
    const T = Math.max(...examples.map((e) => (e.target?.length ?? 0) + 1));
    const source = ints([B, S]);
    const sourceMask = floats([B, S]);
    const targetIn = ints([B, T]);
    const targetOut = ints([B, T]);
    const targetMask = floats([B, T]);
    examples.forEach((e, b) => {
      const src = e.source ?? new Int32Array(0);
      const tgt = e.target ?? new Int32Array(0);
      source.data.set(src, b * S);
      sourceMask.data.fill(1, b * S, b * S + src.length);
      targetIn.data[b * T] = BOS;
      targetIn.data.set(tgt, b * T + 1);
      targetOut.data.set(tgt, b * T);
      targetOut.data[b * T + tgt.length] = EOS;
      targetMask.data.fill(1, b * T, b * T + tgt.length + 1);
    });
    return { source, sourceMask, targetIn, targetOut, targetMask };
  }
  const T = Math.max(1, ...examples.map((e) => e.length));
  const mask = floats([B, T]);
  examples.forEach((e, b) => mask.data.fill(1, b * T, b * T + e.length));
  batch.mask = mask;
  const first = examples[0]!;
  if (first.features) {
    const F = first.featureSize ?? 1;
    const features = floats([B, T, F]);
    examples.forEach((e, b) => features.data.set(e.features ?? [], b * T * F));
    batch.features = features;
  } else {
    const tokens = ints([B, T]);
    examples.forEach((e, b) => tokens.data.set(e.tokens ?? [], b * T));
    batch.tokens = tokens;
  }
  if (task === 'classification') {
    batch.labels = ints([B]);
    examples.forEach((e, b) => (batch.labels!.data[b] = e.label ?? 0));
  } else if (task === 'regression') {
    const K = first.values?.length ?? 1;
    batch.targets = floats([B, K]);
    examples.forEach((e, b) => batch.targets!.data.set(e.values ?? [], b * K));
  } else {
    batch.labels = ints([B, T]);
    examples.forEach((e, b) => batch.labels!.data.set(e.steps ?? [], b * T));
  }
  return batch;
}

export interface BatchingOptions {
  task: TaskId;
  batchSize: number;
  /** Sort by length within windows of `pool` batches; off = random batches. */
  bucketing: { enabled: boolean; pool: number };
  /** Shuffles examples and batch order; absent = keep the given order (evaluation). */
  random?: Random;
}

/** Positions in padded batches that are padding vs real steps (seq2seq counts source and target). */
export interface PaddingReport {
  real: number;
  padded: number;
  /** padded / (real + padded) */
  fraction: number;
}

/** Groups example indices into batches by the options; the order repeats for the same Random state. */
export function planBatches(lengths: readonly number[], options: BatchingOptions): number[][] {
  const order = lengths.map((_, i) => i);
  options.random?.shuffle(order);
  const size = Math.max(1, Math.floor(options.batchSize));
  if (options.bucketing.enabled) {
    const window = size * Math.max(1, options.bucketing.pool);
    for (let at = 0; at < order.length; at += window) {
      const part = order.slice(at, at + window).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
      order.splice(at, part.length, ...part);
    }
  }
  const groups: number[][] = [];
  for (let at = 0; at < order.length; at += size) groups.push(order.slice(at, at + size));
  options.random?.shuffle(groups);
  return groups;
}

export function makeBatches(examples: readonly EncodedExample[], options: BatchingOptions): Batch[] {
  return planBatches(examples.map(stepsOf), options).map((g) =>
    padBatch(
      options.task,
      g.map((i) => examples[i]!),
    ),
  );
}

function stepsOf(e: EncodedExample): number {
  return e.source ? Math.max(e.source.length, (e.target?.length ?? 0) + 1) : e.length;
}

/** Counts real and padded positions in batches (from their masks). */
export function paddingReport(batches: readonly Batch[]): PaddingReport {
  let real = 0;
  let total = 0;
  for (const b of batches) {
    for (const m of [b.mask, b.sourceMask, b.targetMask]) {
      if (!m) continue;
      total += m.data.length;
      for (const v of m.data) real += v;
    }
  }
  return { real, padded: total - real, fraction: total === 0 ? 0 : (total - real) / total };
}

/** Padded positions of a batch plan, from example lengths alone (no tensors built). */
export function paddedPositions(groups: readonly number[][], lengths: readonly number[]): number {
  let padded = 0;
  for (const g of groups) {
    const longest = Math.max(0, ...g.map((i) => lengths[i]!));
    for (const i of g) padded += longest - lengths[i]!;
  }
  return padded;
}

/** What bucketing saves on these lengths: padded positions with random batches vs bucketed ones. */
export function bucketingSavings(
  lengths: readonly number[],
  options: { batchSize: number; pool: number; seed?: number },
): { batchSize: number; randomPadded: number; bucketedPadded: number; saved: number } {
  const plan = (enabled: boolean) =>
    planBatches(lengths, {
      task: 'classification',
      batchSize: options.batchSize,
      bucketing: { enabled, pool: options.pool },
      random: createRandom(options.seed ?? 1),
    });
  const randomPadded = paddedPositions(plan(false), lengths);
  const bucketedPadded = paddedPositions(plan(true), lengths);
  return {
    batchSize: options.batchSize,
    randomPadded,
    bucketedPadded,
    saved: randomPadded === 0 ? 0 : 1 - bucketedPadded / randomPadded,
  };
}

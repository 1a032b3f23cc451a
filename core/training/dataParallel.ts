// Data-parallel training: a batch is cut into N shards along its rows; this model computes shard 0 while
// N−1 other engines (worker threads, main/training/shards) compute the rest on identical weights. Each
// shard's loss is a mean over its real positions, so the full-batch gradient is the shards' gradients
// weighted by their position counts: Σ (count_k / Σ count) · g_k. That sum goes through the same report,
// NaN guard, clipping and single optimizer step as one engine's gradient (step.ts), so every norm the
// Gradients tab shows comes from the summed gradient, and the weights stay the same everywhere.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, BatchTensor } from '../data/batch.js';
import { readNow } from '../engine/ops/stepKernels.js';
import type { StudioModel } from '../engine/types.js';
import type { ClippingConfig } from './config.js';
import type { Optimizer } from './optimizers.js';
import { SeededRandom } from './random.js';
import { applyGradients, disposeState, type StepResult, WindowTally, windowGradients } from './step.js';
import { timeWindows } from './truncatedBptt.js';
import { wasmWeightedSum } from './wasmGradients.js';

/** One shard's window for a helper engine. */
export interface ShardRequest {
  batch: Batch;
  /** Start from the state this helper's shard ended the previous window in (truncated BPTT). */
  carry: boolean;
  /** Seeds the helper's dropout / scheduled-sampling source for this window. */
  seed: number;
  /** Record this window's phases on the helper (answered in `ShardOutcome.spans`). */
  timeline?: boolean;
}

/** What a helper engine sends back: its shard's loss and metrics, its gradient flat in weight order. */
export interface ShardOutcome {
  loss: number;
  count: number;
  metrics: Record<string, number>;
  /** Every weight's gradient, concatenated in `model.weights` order (read before the next request). */
  gradients: Float32Array;
  /** The helper's phases, when the request asked for a timeline. */
  spans?: TimelineSpan[];
}

/**
 * Where a data-parallel step's time goes, for a timeline (scripts/bench/timeline.mts): `mark(phase)` ends
 * the phase that began at the previous mark on this thread. Main/ implements it (clock, CPU time).
 */
export interface StepTimeline {
  mark(phase: string): void;
  /** Helper `index`'s (1-based) phases of the window just computed. */
  helper(index: number, spans: TimelineSpan[]): void;
}

/** One phase on one thread: wall times in ms since the epoch, CPU and run-queue times where known. */
export interface TimelineSpan {
  phase: string;
  start: number;
  end: number;
  /** CPU time of the thread in the phase, ms. */
  cpu?: number;
  /** Time the thread was ready but waited for a core, ms. */
  queued?: number;
}

/** The helper engines of a data-parallel run (main/ starts them; core only talks to them). */
export interface ShardHelpers {
  /** How many helper engines (the run trains on helpers + 1). */
  readonly count: number;
  /** Where the current weights go, concatenated in `model.weights` order, before `compute`. */
  readonly weights: Float32Array;
  /** Gradients of one shard window per helper, in parallel; rejects when a helper fails. */
  compute(requests: ShardRequest[]): Promise<ShardOutcome[]>;
}

function sliceRows(tensor: BatchTensor, start: number, end: number): BatchTensor {
  const rows = tensor.shape[0] ?? 0;
  const inner = rows > 0 ? tensor.data.length / rows : 0;
  return {
    dtype: tensor.dtype,
    shape: [end - start, ...tensor.shape.slice(1)],
    data: tensor.data.slice(start * inner, end * inner),
  };
}

/**
 * The batch cut into at most `parts` shards of consecutive rows, sizes differing by at most one. Shapes
 * beyond the rows stay as they are (same padding as the whole batch), so each shard computes exactly
 * the rows it would in the full batch.
 */
export function splitBatch(batch: Batch, parts: number): Batch[] {
  const first = Object.values(batch).find((t) => t !== undefined);
  const rows = first?.shape[0] ?? 0;
  const n = Math.max(1, Math.min(parts, rows));
  const shards: Batch[] = [];
  for (let k = 0; k < n; k++) {
    const start = Math.floor((k * rows) / n);
    const end = Math.floor(((k + 1) * rows) / n);
    const shard: Batch = {};
    for (const [role, tensor] of Object.entries(batch) as [keyof Batch, BatchTensor | undefined][]) {
      if (tensor) shard[role] = sliceRows(tensor, start, end);
    }
    shards.push(shard);
  }
  return shards;
}

function rowsOf(batch: Batch): number {
  return Object.values(batch).find((t) => t !== undefined)?.shape[0] ?? 0;
}

/**
 * Metrics of the whole batch from the shards'. Means over positions weigh by position counts; exact
 * match is a mean over sequences (weighed by rows); perplexity is exp of the combined loss.
 */
export function combineMetrics(
  parts: { metrics: Record<string, number>; count: number; rows: number }[],
  loss: number,
): Record<string, number> {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const out: Record<string, number> = {};
  for (const key of Object.keys(parts[0]?.metrics ?? {})) {
    if (/(^|\/)perplexity$/.test(key)) out[key] = Math.exp(loss);
    else if (/(^|\/)exactMatch$/.test(key))
      out[key] = parts.reduce((s, p) => s + (p.metrics[key] ?? 0) * p.rows, 0) / Math.max(rows, 1);
    else out[key] = parts.reduce((s, p) => s + (p.metrics[key] ?? 0) * p.count, 0) / Math.max(count, 1e-12);
  }
  return out;
}

/** Copy the model's weights into the helpers' shared buffer (read in place on wasm: one copy per weight). */
export function publishWeights(model: StudioModel, target: Float32Array): void {
  let offset = 0;
  for (const w of model.weights) {
    target.set(readNow(w.variable), offset);
    offset += w.variable.size;
  }
}

/**
 * Σ_k share_k · g_k per weight, as tensors shaped like the weights (the local shard's grads disposed).
 * Summed on the backend: the local gradient never leaves it, each helper's gradient goes in with one copy
 * from its shared buffer, and the products and sums run in the backend's vector kernels (a JS loop over
 * the 1.4M parameters of cls-gru, with the local gradient read out and the sum written back, took ~35 ms
 * of a ~350 ms step). On wasm each weight's sum is one pass (wasmGradients.ts), bit for bit the tf ops.
 * Float32 throughout, like the single-engine gradient.
 */
export function sumGradients(
  model: StudioModel,
  local: Record<string, tf.Tensor>,
  localShare: number,
  remote: { gradients: Float32Array; share: number }[],
): Record<string, tf.Tensor> {
  const summed = tf.tidy(() => {
    const out: Record<string, tf.Tensor> = {};
    let offset = 0;
    for (const w of model.weights) {
      const size = w.variable.size;
      const g = local[w.name];
      const fused = g
        ? wasmWeightedSum(
            g,
            localShare,
            remote.map((r) => ({ values: r.gradients.subarray(offset, offset + size), share: r.share })),
          )
        : null;
      if (fused) {
        out[w.name] = tf.keep(fused);
        offset += size;
        continue;
      }
      let sum: tf.Tensor = g ? tf.mul(g, localShare) : tf.zeros(w.variable.shape);
      for (const r of remote) {
        // A tensor made from the shared buffer is read right here, before any helper writes it again.
        const theirs = tf.tensor(r.gradients.subarray(offset, offset + size), w.variable.shape, 'float32');
        sum = tf.add(sum, tf.mul(theirs, r.share));
      }
      out[w.name] = sum;
      offset += size;
    }
    return out;
  });
  tf.dispose(Object.values(local));
  return summed;
}

/**
 * One training batch on this engine plus the helpers. Same contract as step.ts's trainBatch (windows of
 * truncated BPTT are synchronised: every shard finishes window w before the update of window w).
 * Dropout and scheduled sampling draw from one seeded source per shard, seeded from `random`, so the
 * masks repeat on resume (but differ from a one-engine run's, which draws them for the whole batch).
 */
export async function trainBatchParallel(
  model: StudioModel,
  batch: Batch,
  helpers: ShardHelpers,
  optimizer: Optimizer,
  learningRate: number,
  clipping: ClippingConfig,
  bpttSteps: number,
  random: () => number,
  timeline?: StepTimeline,
): Promise<StepResult> {
  timeline?.mark('idle');
  const shards = splitBatch(batch, helpers.count + 1);
  const windows = shards.map((shard) => timeWindows(shard, bpttSteps));
  const rows = shards.map(rowsOf);
  let carried: Record<string, tf.Tensor[]> | undefined;
  const tally = new WindowTally();
  try {
    for (let w = 0; w < (windows[0]?.length ?? 0); w++) {
      const seeds = shards.map(() => Math.floor(random() * 2 ** 32) >>> 0);
      timeline?.mark('split');
      publishWeights(model, helpers.weights);
      timeline?.mark('publish weights');
      const pending = helpers.compute(
        windows.slice(1).map((list, k) => ({
          batch: list[w] as Batch,
          carry: w > 0,
          seed: seeds[k + 1] as number,
          ...(timeline ? { timeline: true } : {}),
        })),
      );
      timeline?.mark('send');
      // Swallow a rejection until awaited below, so a helper failing during our own shard is not unhandled.
      pending.catch(() => {});
      const localRandom = new SeededRandom(seeds[0] as number);
      const local = windowGradients(model, windows[0]![w] as Batch, carried, () => localRandom.next());
      disposeState(carried);
      carried = local.finalState;
      timeline?.mark('own shard');
      let remote: ShardOutcome[];
      try {
        remote = await pending;
      } catch (error) {
        tf.dispose(Object.values(local.grads));
        throw error;
      }
      timeline?.mark('wait for workers');
      remote.forEach((r, k) => r.spans && timeline?.helper(k + 1, r.spans));
      const total = local.count + remote.reduce((n, r) => n + r.count, 0);
      const denominator = Math.max(total, 1e-12);
      const windowLoss =
        (local.loss * local.count + remote.reduce((s, r) => s + r.loss * r.count, 0)) / denominator;
      const grads = sumGradients(
        model,
        local.grads,
        local.count / denominator,
        remote.map((r) => ({ gradients: r.gradients, share: r.count / denominator })),
      );
      timeline?.mark('sum gradients');
      const applied = await applyGradients(
        model,
        windowLoss,
        grads,
        optimizer,
        learningRate,
        clipping,
        {},
        timeline,
      );
      tally.see(applied.report, applied.clipped);
      const metrics = combineMetrics(
        [local, ...remote].map((r, k) => ({ metrics: r.metrics, count: r.count, rows: rows[k] ?? 0 })),
        windowLoss,
      );
      if (applied.nonFinite) {
        const { report, clipped } = tally;
        return {
          loss: windowLoss,
          count: total,
          metrics,
          report: report!,
          clipped,
          nonFinite: applied.nonFinite,
        };
      }
      tally.add(windowLoss, total, metrics);
    }
  } finally {
    disposeState(carried);
  }
  return tally.result();
}

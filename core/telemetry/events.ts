// The telemetry of a training run: plain, versioned event objects. One stream feeds the dashboards, the
// CLI (progress bar / NDJSON) and the project's history (one NDJSON line per event), so every field says
// what it is in the user's words and every number is a plain JSON number (no tensors, no typed arrays).
//
// Reading guide for a dashboard:
// - Loss chart: `batch.loss` over `batch.step`; `epoch.train.loss` and `epoch.validation.loss` per epoch.
// - Gradients tab: `batch.gradNorm` (global, before clipping) with `batch.clipped` marks;
//   `batch.gradNormPerLayer[node]` one line per layer; `batch.gradNormPerGate[node][gate]`;
//   the gradient-through-time heatmap from `probe.gradientThroughTime` (x: time step, y: epoch).
// - Attention & gates tab: `probe.attention`, `probe.gates`, `probe.hiddenStates`, labelled by
//   `probe.example` tokens.
// - Histograms tab: `histogram.weights` per weight tensor and `histogram.activations` per layer, one event
//   at the end of some epochs (at most ~50 a run, core/training/histograms.ts), epoch × value per layer.
// Epochs and batches are counted from 1 as a person reads them; `step` is the global batch count from 1.
import { z } from 'zod';
import { TrainingConfigSchema } from '../training/config.js';
import { HistogramSchema } from './histogram.js';

/** Bump when a field changes meaning or disappears; adding optional fields keeps the version. */
export const TELEMETRY_VERSION = 1;

const finiteOrNull = z.number().nullable(); // null where a value is not finite (JSON has no NaN)
const metricsRecord = z.record(z.string(), finiteOrNull);

/** Loss and task metrics over a whole split (examples weighted by real, unmasked positions). */
export const SplitSummarySchema = z.object({
  loss: finiteOrNull,
  /** e.g. accuracy, exactMatch, mse: masked, padding never counts. */
  metrics: metricsRecord,
  /** exp(mean token loss): language models only. */
  perplexity: finiteOrNull.optional(),
});

const base = {
  v: z.literal(TELEMETRY_VERSION),
  /** Milliseconds since 1970 (Date.now()) when the event was made. */
  time: z.number(),
};

export const WeightInfoSchema = z.object({
  name: z.string(), // `${node}/${weight}`
  node: z.string(),
  shape: z.array(z.number().int()),
  gates: z.array(z.string()).optional(),
});

export const RunStartEventSchema = z.object({
  ...base,
  type: z.literal('run-start'),
  runId: z.string(),
  /**
   * The backend line: the rung in use ('webgpu (google swiftshader, vulkan)', 'tensorflow', 'wasm', …);
   * backendNote says why a rung fell back.
   */
  backend: z.string(),
  backendNote: z.string().optional(),
  task: z.string().optional(),
  config: TrainingConfigSchema,
  model: z.object({
    /** Trainable parameter count. */
    parameters: z.number().int(),
    weights: z.array(WeightInfoSchema),
    /** Layer (node) ids in the order their weights appear, as named on the canvas. */
    layers: z.array(z.string()),
  }),
  batchesPerEpoch: z.number().int(),
  examples: z.object({ train: z.number().int(), validation: z.number().int() }),
  /** Engines that trained in parallel on shards of each batch (1 = one engine; absent in older runs). */
  workers: z.number().int().positive().optional(),
  /** Set when this run continues from a checkpoint. */
  resumedFrom: z.object({ epoch: z.number().int(), step: z.number().int() }).optional(),
});

export const BatchEventSchema = z.object({
  ...base,
  type: z.literal('batch'),
  epoch: z.number().int(),
  /** Batch within the epoch, from 1. */
  batch: z.number().int(),
  batchesPerEpoch: z.number().int(),
  step: z.number().int(),
  loss: finiteOrNull,
  metrics: metricsRecord,
  /** The rate this batch's update used (after the schedule). */
  learningRate: z.number(),
  /** Real (unmasked) positions processed per second, timed over this batch. */
  tokensPerSecond: z.number(),
  /** L2 norm over all gradients together, before clipping. */
  gradNorm: finiteOrNull,
  /** L2 norm of the gradients of each layer's weights, by node id. */
  gradNormPerLayer: z.record(z.string(), finiteOrNull),
  /**
   * For recurrent layers: L2 norm per gate, by node id then gate name (LSTM input/forget/cell/output,
   * GRU update/reset/candidate), over all of the layer's weights that split by gate.
   */
  gradNormPerGate: z.record(z.string(), z.record(z.string(), finiteOrNull)),
  /** True when clipping changed the gradients of this batch. */
  clipped: z.boolean(),
});

export const EpochEventSchema = z.object({
  ...base,
  type: z.literal('epoch'),
  epoch: z.number().int(),
  epochs: z.number().int(),
  step: z.number().int(),
  train: SplitSummarySchema,
  validation: SplitSummarySchema.optional(),
  learningRate: z.number(),
  seconds: z.number(),
  /** True when this epoch is the best so far by the watched metric (and saved as best if saveBest). */
  best: z.boolean(),
});

/** A matrix as rows of numbers, with what its axes mean. */
const matrix = z.array(z.array(z.number()));

export const ProbeEventSchema = z.object({
  ...base,
  type: z.literal('probe'),
  epoch: z.number().int(),
  step: z.number().int(),
  /** The probed example: its tokens as text where known (else ids), and its real length. */
  example: z.object({
    index: z.number().int(),
    split: z.enum(['train', 'validation']),
    tokens: z.array(z.string()),
    targetTokens: z.array(z.string()).optional(),
    length: z.number().int(),
  }),
  /**
   * The vanishing-gradient picture: for each recurrent layer, ‖∂loss/∂h_t‖ for t = 1..T (total
   * derivative
   * through time). Vanishing: norms fall by orders of magnitude towards t = 1; exploding: they grow.
   */
  gradientThroughTime: z.array(z.object({ layer: z.string(), norms: z.array(finiteOrNull) })),
  /** Gate activations, units × time, per layer and gate (values in 0..1 for sigmoid gates). */
  gates: z.array(z.object({ layer: z.string(), gate: z.string(), values: matrix })),
  /** Hidden states h_t, units × time, per recurrent layer. */
  hiddenStates: z.array(z.object({ layer: z.string(), values: matrix })),
  /** Attention weights, target steps × source steps (rows sum to 1), per attention layer. */
  attention: z.array(z.object({ layer: z.string(), weights: matrix })),
});

/**
 * The distribution of every weight tensor and of every layer's output on the probe example, at the end of
 * an epoch. Sampled (core/training/histograms.ts): every epoch of a short run, at most 50 in a long one.
 */
export const HistogramEventSchema = z.object({
  ...base,
  type: z.literal('histogram'),
  epoch: z.number().int(),
  step: z.number().int(),
  /**
   * Per weight tensor (`${node}/${weight}`, e.g. `lstm/kernel`), not per layer: a kernel, its recurrent
   * kernel and its bias are initialised and move differently (an LSTM's forget bias starts at 1), and one
   * histogram over all three would hide that.
   */
  weights: z.array(z.object({ layer: z.string(), weight: z.string(), histogram: HistogramSchema })),
  /** Each layer's output on the probe example, real (unpadded) time steps only. */
  activations: z.array(z.object({ layer: z.string(), histogram: HistogramSchema })),
  /** The probed example the activations come from (absent when none could be probed). */
  example: z.object({ index: z.number().int(), split: z.enum(['train', 'validation']) }).optional(),
});

export const CheckpointEventSchema = z.object({
  ...base,
  type: z.literal('checkpoint'),
  epoch: z.number().int(),
  step: z.number().int(),
  /** Why it was written: end of an epoch, the user stopped, a new best epoch. */
  reason: z.enum(['epoch', 'stop', 'best']),
  /** Where it lives (a path in the project or on disk), for the status line. */
  location: z.string(),
});

export const WarningEventSchema = z.object({
  ...base,
  type: z.literal('warning'),
  /** Stable code, e.g. 'backend-fallback', 'clipping-often', 'no-validation-data', 'loss-exploding'. */
  code: z.string(),
  message: z.string(),
  layer: z.string().optional(),
  /** Where in the run it was seen (divergence warnings: the batch that exploded). */
  epoch: z.number().int().optional(),
  step: z.number().int().optional(),
  /**
   * Divergence: the exploding value (loss or global gradient norm) and its growth factor
   * (core/training/divergence.ts).
   */
  value: z.number().optional(),
  growth: z.number().optional(),
});

export const ErrorEventSchema = z.object({
  ...base,
  type: z.literal('error'),
  /**
   * non-finite: NaN/Inf in the loss, a gradient or a weight; crash: the engine process died; invalid: bad
   * config/data.
   */
  code: z.enum(['non-finite', 'crash', 'out-of-memory', 'invalid']),
  message: z.string(),
  epoch: z.number().int().optional(),
  step: z.number().int().optional(),
  /** For non-finite: the layer (node id) and weight where it first appeared, in model order. */
  layer: z.string().optional(),
  weight: z.string().optional(),
  /** For non-finite: what was not finite first. */
  where: z.enum(['loss', 'gradient', 'weight', 'data']).optional(),
  /** The checkpoint the weights were rolled back to (epoch 0 = the initial weights). */
  rolledBackTo: z.object({ epoch: z.number().int(), step: z.number().int() }).optional(),
});

/**
 * The loop stopped between two batches because the user paused it (`paused`), or went on (`resumed`).
 * Sent on the event stream after the last batch finished before the pause, so a view that turns "Paused"
 * on this event never sees a batch count move afterwards. `step` is the last finished batch.
 */
export const PausedEventSchema = z.object({
  ...base,
  type: z.literal('paused'),
  epoch: z.number().int(),
  step: z.number().int(),
});

export const ResumedEventSchema = z.object({
  ...base,
  type: z.literal('resumed'),
  epoch: z.number().int(),
  step: z.number().int(),
});

export const RunEndEventSchema = z.object({
  ...base,
  type: z.literal('run-end'),
  status: z.enum(['completed', 'stopped', 'early-stopped', 'failed']),
  epochs: z.number().int(),
  steps: z.number().int(),
  seconds: z.number(),
  /** The last epoch's summaries. */
  final: z.object({ train: SplitSummarySchema.optional(), validation: SplitSummarySchema.optional() }),
  best: z.object({ epoch: z.number().int(), metric: z.string(), value: z.number() }).optional(),
});

export const TelemetryEventSchema = z.discriminatedUnion('type', [
  RunStartEventSchema,
  BatchEventSchema,
  EpochEventSchema,
  ProbeEventSchema,
  HistogramEventSchema,
  CheckpointEventSchema,
  WarningEventSchema,
  ErrorEventSchema,
  PausedEventSchema,
  ResumedEventSchema,
  RunEndEventSchema,
]);

export type SplitSummary = z.infer<typeof SplitSummarySchema>;
export type RunStartEvent = z.infer<typeof RunStartEventSchema>;
export type BatchEvent = z.infer<typeof BatchEventSchema>;
export type EpochEvent = z.infer<typeof EpochEventSchema>;
export type ProbeEvent = z.infer<typeof ProbeEventSchema>;
export type HistogramEvent = z.infer<typeof HistogramEventSchema>;
export type CheckpointEvent = z.infer<typeof CheckpointEventSchema>;
export type WarningEvent = z.infer<typeof WarningEventSchema>;
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;
export type PausedEvent = z.infer<typeof PausedEventSchema>;
export type ResumedEvent = z.infer<typeof ResumedEventSchema>;
export type RunEndEvent = z.infer<typeof RunEndEventSchema>;
export type TelemetryEvent = z.infer<typeof TelemetryEventSchema>;
export type TelemetryEventType = TelemetryEvent['type'];

/** Distributive Omit so each event kind keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as the loop writes it, before `v` and `time` are stamped. */
export type TelemetryEventDraft = DistributiveOmit<TelemetryEvent, 'v' | 'time'>;

/** Stamp version and time on a draft. */
export function makeEvent<T extends TelemetryEventDraft>(
  draft: T,
  time = Date.now(),
): T & { v: 1; time: number } {
  return { v: TELEMETRY_VERSION, time, ...draft };
}

/** A number safe for JSON: non-finite becomes null (JSON.stringify would write null anyway, silently). */
export function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Parse one event (e.g. a history NDJSON line), with a message naming the bad field. */
export function parseTelemetryEvent(
  input: unknown,
): { ok: true; event: TelemetryEvent } | { ok: false; message: string } {
  const result = TelemetryEventSchema.safeParse(input);
  if (result.success) return { ok: true, event: result.data };
  const issue = result.error.issues[0];
  return {
    ok: false,
    message: `telemetry event ${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'}`,
  };
}

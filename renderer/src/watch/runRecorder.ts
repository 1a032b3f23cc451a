// One run's telemetry, folded into chart-ready series. The same recorder serves a live run (events from
// `training.event`) and a past run (its history from `runs.history`), so the dashboard draws both alike.
// Series live in typed arrays (SeriesBuffer) outside Vue's reactivity; the store bumps a version counter
// at a steady frame rate and charts redraw from the buffers.
import type { RunState } from '../../../core/project/runStatus.js';
import { statusOfEnd } from '../../../core/project/runStatus.js';
import type {
  BatchEvent,
  EpochEvent,
  HistogramEvent,
  ProbeEvent,
  RunEndEvent,
  RunStartEvent,
  SplitSummary,
  TelemetryEvent,
} from '../../../core/telemetry/events.js';
import type { Histogram } from '../../../core/telemetry/histogram.js';
import type { HistoryEntry } from '../../../core/telemetry/history.js';
import type { TrainingConfig } from '../../../core/training/config.js';
import { SeriesBuffer } from '../charts/seriesBuffer.js';

/**
 * A run as watched: before and while it starts, asked to pause (until the engine's `paused` event),
 * paused, and the statuses the project records.
 */
export type RunStatus = 'idle' | 'starting' | 'pausing' | 'paused' | RunState;

/** What the probe example showed at one epoch. Matrices are nested arrays as the events carry them. */
export interface ProbeRecord {
  epoch: number;
  step: number;
  /** The probe example's input tokens (source side for seq2seq). */
  tokens: string[];
  /** Output/target tokens (seq2seq, tagging), when the task has them. */
  targetTokens: string[];
  /** layer -> norm of dLoss/dh_t for each time step t. */
  gradNormPerStep: Record<string, number[]>;
  /** layer -> gate -> units x time activations. */
  gates: Record<string, Record<string, number[][]>>;
  /** layer -> units x time hidden states. */
  hidden: Record<string, number[][]>;
  /** layer -> [target step][source step] weights. */
  attention: Record<string, number[][]>;
}

/** The weight and activation histograms of one epoch (a sampled few per run: core/training/histograms.ts). */
export interface HistogramRecord {
  epoch: number;
  step: number;
  /** Per weight tensor, by weight name (`lstm/kernel`), with the layer it belongs to. */
  weights: Map<string, { layer: string; histogram: Histogram }>;
  /** Per layer (node id): its output on the probe example. */
  activations: Map<string, Histogram>;
}

export interface CheckpointRecord {
  epoch: number;
  step: number;
  at: number;
  reason: 'epoch' | 'stop' | 'best';
  location: string;
}

export interface Notice {
  kind: 'warning' | 'error';
  message: string;
  where?: string;
  step: number;
}

export class RunRecorder {
  runId = '';
  name = '';
  status: RunStatus = 'idle';
  backend = '';
  backendNote = '';
  /** Engines that trained in parallel (data-parallel workers); 1 for older runs. */
  workers = 1;
  task = '';
  config: TrainingConfig | undefined;
  totalEpochs: number | undefined;
  batchesPerEpoch: number | undefined;
  epoch = 0;
  batch = 0;
  step = 0;
  startedAt: number | undefined;
  lastAt: number | undefined;
  /** "train loss", "validation accuracy", … from run-end. */
  finalMetrics: Record<string, number> = {};
  best: { epoch: number; metric: string; value: number } | undefined;
  endReason = '';
  parameters: number | undefined;
  layers: string[] = [];

  readonly loss = new SeriesBuffer();
  readonly validationLoss = new SeriesBuffer();
  readonly epochLoss = new SeriesBuffer();
  /** Per-batch training metrics (accuracy, …) by name, x = step. */
  readonly batchMetrics = new Map<string, SeriesBuffer>();
  /** Per-epoch metrics, named "validation accuracy", "train perplexity", …, x = step at the epoch's end. */
  readonly epochMetrics = new Map<string, SeriesBuffer>();
  readonly learningRate = new SeriesBuffer();
  readonly tokensPerSecond = new SeriesBuffer();
  readonly gradNorm = new SeriesBuffer();
  /** Steps at which clipping scaled the gradient, with the norm before clipping. */
  readonly clipped = new SeriesBuffer(64);
  readonly layerNorms = new Map<string, SeriesBuffer>();
  readonly gateNorms = new Map<string, Map<string, SeriesBuffer>>();
  readonly probes: ProbeRecord[] = [];
  /** By epoch, oldest first. */
  readonly histograms: HistogramRecord[] = [];
  readonly checkpoints: CheckpointRecord[] = [];
  readonly notices: Notice[] = [];
  /** Bumped on every event; watchers compare it to know whether to redraw. */
  version = 0;

  /**
   * Folds one event in. The switch is exhaustive over the telemetry union: a new event kind fails to
   * compile here until it is handled, and every field is read by its typed name, so a field renamed in
   * core/telemetry fails to compile where a chart reads it.
   */
  ingest(entry: TelemetryEvent | HistoryEntry): void {
    if (entry.type === 'unreadable') return; // a history line the host could not read; nothing to draw
    const event: TelemetryEvent = entry;
    if (this.startedAt === undefined) this.startedAt = event.time;
    this.lastAt = event.time;
    switch (event.type) {
      case 'run-start':
        this.onRunStart(event);
        break;
      case 'batch':
        this.onBatch(event);
        break;
      case 'epoch':
        this.onEpoch(event);
        break;
      case 'probe':
        this.onProbe(event);
        break;
      case 'histogram':
        this.onHistogram(event);
        break;
      case 'checkpoint':
        this.checkpoints.push({
          epoch: event.epoch,
          step: event.step,
          at: event.time,
          reason: event.reason,
          location: event.location,
        });
        break;
      case 'warning': {
        // Divergence warnings carry the batch that exploded; others happen at the current step.
        const step = event.step ?? this.step;
        this.notices.push({ kind: 'warning', message: event.message, where: event.layer, step });
        break;
      }
      case 'error':
        this.notices.push({
          kind: 'error',
          message: event.message,
          where: event.weight ?? event.layer,
          step: this.step,
        });
        this.status = 'failed';
        break;
      case 'paused':
        this.status = 'paused';
        break;
      case 'resumed':
        this.status = 'running';
        break;
      case 'run-end':
        this.onRunEnd(event);
        break;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
    this.version += 1;
  }

  /** Seconds left, from the mean pace so far; undefined until it can be estimated. */
  etaSeconds(now = this.lastAt): number | undefined {
    if (this.startedAt === undefined || now === undefined || !this.totalEpochs || !this.batchesPerEpoch)
      return undefined;
    const total = this.totalEpochs * this.batchesPerEpoch;
    const done = (this.epoch - 1) * this.batchesPerEpoch + this.batch;
    if (done <= 0 || done >= total) return done >= total ? 0 : undefined;
    return (((now - this.startedAt) / done) * (total - done)) / 1000;
  }

  layerNames(): string[] {
    return [...this.layerNorms.keys()];
  }

  /** Recurrent blocks that report gates, and blocks probed over time. */
  recurrentLayers(): string[] {
    const names = new Set(this.gateNorms.keys());
    for (const p of this.probes) for (const k of Object.keys(p.gradNormPerStep)) names.add(k);
    return [...names];
  }

  latestProbe(): ProbeRecord | undefined {
    return this.probes[this.probes.length - 1];
  }

  private onRunStart(e: RunStartEvent): void {
    this.status = 'running';
    this.startedAt = e.time;
    this.runId = e.runId || this.runId;
    this.backend = e.backend;
    this.backendNote = e.backendNote ?? '';
    this.workers = e.workers ?? 1;
    this.task = e.task ?? '';
    this.config = e.config;
    this.totalEpochs = e.config.epochs;
    this.batchesPerEpoch = e.batchesPerEpoch;
    this.parameters = e.model.parameters;
    this.layers = e.model.layers;
    if (e.resumedFrom) this.step = e.resumedFrom.step;
  }

  private onBatch(e: BatchEvent): void {
    if (this.status === 'idle' || this.status === 'starting') this.status = 'running';
    this.step = e.step;
    this.epoch = e.epoch;
    this.batch = e.batch;
    this.batchesPerEpoch = e.batchesPerEpoch;
    const x = e.step;
    push(this.loss, x, e.loss);
    push(this.learningRate, x, e.learningRate);
    push(this.tokensPerSecond, x, e.tokensPerSecond);
    push(this.gradNorm, x, e.gradNorm);
    if (e.clipped && e.gradNorm !== null) this.clipped.push(x, e.gradNorm);
    for (const [name, v] of Object.entries(e.gradNormPerLayer))
      if (v !== null) seriesIn(this.layerNorms, name).push(x, v);
    for (const [layer, gates] of Object.entries(e.gradNormPerGate)) {
      let byGate = this.gateNorms.get(layer);
      if (!byGate) this.gateNorms.set(layer, (byGate = new Map()));
      for (const [gate, v] of Object.entries(gates)) if (v !== null) seriesIn(byGate, gate).push(x, v);
    }
    for (const [name, v] of Object.entries(e.metrics))
      if (v !== null) seriesIn(this.batchMetrics, name).push(x, v);
  }

  private onEpoch(e: EpochEvent): void {
    this.epoch = e.epoch;
    this.totalEpochs = e.epochs;
    this.step = e.step;
    const x = e.step;
    push(this.epochLoss, x, e.train.loss);
    push(this.validationLoss, x, e.validation?.loss ?? null);
    const metrics = { ...splitMetrics('train', e.train), ...splitMetrics('validation', e.validation) };
    for (const [name, v] of Object.entries(metrics)) {
      if (name.endsWith(' loss')) continue;
      seriesIn(this.epochMetrics, name).push(x, v);
    }
  }

  private onProbe(e: ProbeEvent): void {
    const gates: ProbeRecord['gates'] = {};
    for (const g of e.gates) (gates[g.layer] ??= {})[g.gate] = g.values;
    const gradNormPerStep: Record<string, number[]> = {};
    for (const g of e.gradientThroughTime) gradNormPerStep[g.layer] = g.norms.map((n) => n ?? NaN);
    this.probes.push({
      epoch: e.epoch,
      step: e.step,
      tokens: e.example.tokens,
      targetTokens: e.example.targetTokens ?? [],
      gradNormPerStep,
      gates,
      hidden: Object.fromEntries(e.hiddenStates.map((h) => [h.layer, h.values])),
      attention: Object.fromEntries(e.attention.map((a) => [a.layer, a.weights])),
    });
  }

  /** Layers with a weight histogram (kind 'weights') or an activation histogram, in model order. */
  histogramLayers(kind: 'weights' | 'activations'): string[] {
    const layers = new Set<string>();
    for (const h of this.histograms) {
      if (kind === 'activations') for (const layer of h.activations.keys()) layers.add(layer);
      else for (const w of h.weights.values()) layers.add(w.layer);
    }
    return [...layers];
  }

  /** The weight tensors of a layer that have histograms (`lstm/kernel`, `lstm/recurrent_kernel`, …). */
  histogramWeights(layer: string): string[] {
    const names = new Set<string>();
    for (const h of this.histograms)
      for (const [name, w] of h.weights) if (w.layer === layer) names.add(name);
    return [...names];
  }

  private onHistogram(e: HistogramEvent): void {
    const record: HistogramRecord = {
      epoch: e.epoch,
      step: e.step,
      weights: new Map(e.weights.map((w) => [w.weight, { layer: w.layer, histogram: w.histogram }])),
      activations: new Map(e.activations.map((a) => [a.layer, a.histogram])),
    };
    // A resumed run repeats no finished epoch, but a history read twice must not draw an epoch twice.
    const at = this.histograms.findIndex((h) => h.epoch >= e.epoch);
    if (at < 0) this.histograms.push(record);
    else if (this.histograms[at]!.epoch === e.epoch) this.histograms[at] = record;
    else this.histograms.splice(at, 0, record);
  }

  private onRunEnd(e: RunEndEvent): void {
    this.status = statusOfEnd(e.status);
    this.endReason = e.status;
    this.finalMetrics = {
      ...splitMetrics('train', e.final.train),
      ...splitMetrics('validation', e.final.validation),
    };
    if (e.best) this.best = e.best;
  }
}

function splitMetrics(prefix: string, split: SplitSummary | undefined): Record<string, number> {
  if (!split) return {};
  const out: Record<string, number> = {};
  if (split.loss !== null) out[`${prefix} loss`] = split.loss;
  for (const [k, v] of Object.entries(split.metrics)) if (v !== null) out[`${prefix} ${k}`] = v;
  if (split.perplexity !== undefined && split.perplexity !== null)
    out[`${prefix} perplexity`] = split.perplexity;
  return out;
}

/** Non-finite values arrive as null (JSON has no NaN) and are not drawn. */
function push(series: SeriesBuffer, x: number, y: number | null): void {
  if (y !== null) series.push(x, y);
}

function seriesIn(map: Map<string, SeriesBuffer>, name: string): SeriesBuffer {
  let s = map.get(name);
  if (!s) map.set(name, (s = new SeriesBuffer(256)));
  return s;
}

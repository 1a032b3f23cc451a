// One run's telemetry, folded into chart-ready series. The same recorder serves a live run (events from
// `training.event`) and a past run (its history from `runs.history`), so the dashboard draws both alike.
// Series live in typed arrays (SeriesBuffer) outside Vue's reactivity; the store bumps a version counter
// at a steady frame rate and charts redraw from the buffers.
import { SeriesBuffer } from '../../charts/seriesBuffer.js';
import {
  isRecord,
  nestedNumberRecord,
  num,
  numberArray,
  numberRecord,
  numberRows,
  pickNum,
  pickRecord,
  str,
  stringArray,
  type Json,
} from './telemetryRead.js';

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

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

export interface CheckpointRecord {
  epoch: number;
  step: number;
  at: number;
  /** 'epoch' | 'stop' | 'best' */
  reason: string;
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
  config: Json = {};
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
  readonly checkpoints: CheckpointRecord[] = [];
  readonly notices: Notice[] = [];
  /** Bumped on every event; watchers compare it to know whether to redraw. */
  version = 0;

  ingest(raw: unknown): void {
    if (!isRecord(raw)) return;
    const type = str(raw.type) ?? str(raw.kind) ?? '';
    const at = pickNum(raw, 'time', 'timestamp', 'at') ?? Date.now();
    if (this.startedAt === undefined) this.startedAt = at;
    this.lastAt = at;
    switch (type) {
      case 'run-start':
        this.onRunStart(raw, at);
        break;
      case 'batch':
        this.onBatch(raw);
        break;
      case 'epoch':
        this.onEpoch(raw);
        break;
      case 'probe':
        this.onProbe(raw);
        break;
      case 'checkpoint':
        this.checkpoints.push({
          epoch: pickNum(raw, 'epoch') ?? this.epoch,
          step: pickNum(raw, 'step') ?? this.step,
          at,
          reason: str(raw.reason) ?? '',
          location: str(raw.location) ?? '',
        });
        break;
      case 'warning':
      case 'error':
        this.notices.push({
          kind: type,
          message: str(raw.message) ?? type,
          where: str(raw.weight) ?? str(raw.layer),
          // Divergence warnings carry the batch that exploded; others happen at the current step.
          step: pickNum(raw, 'step') ?? this.step,
        });
        if (type === 'error') this.status = 'failed';
        break;
      case 'paused':
      case 'pause':
        this.status = 'paused';
        break;
      case 'resumed':
      case 'resume':
        this.status = 'running';
        break;
      case 'run-end':
        this.onRunEnd(raw);
        break;
      default:
        return;
    }
    this.version += 1;
  }

  /** Seconds left, from the mean pace so far; undefined until it can be estimated. */
  etaSeconds(now = this.lastAt): number | undefined {
    if (this.startedAt === undefined || now === undefined || !this.totalEpochs || !this.batchesPerEpoch) return undefined;
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

  private onRunStart(e: Json, at: number): void {
    this.status = 'running';
    this.startedAt = at;
    this.runId = str(e.runId) ?? this.runId;
    this.name = str(e.name) ?? str(e.runName) ?? this.name;
    this.backend = str(e.backend) ?? '';
    this.backendNote = str(e.backendNote) ?? '';
    this.workers = pickNum(e, 'workers') ?? 1;
    this.task = str(e.task) ?? '';
    this.config = pickRecord(e, 'config') ?? {};
    this.totalEpochs = num(this.config.epochs);
    this.batchesPerEpoch = pickNum(e, 'batchesPerEpoch');
    const model = pickRecord(e, 'model') ?? {};
    this.parameters = num(model.parameters);
    this.layers = stringArray(model.layers) ?? [];
    const resumed = pickRecord(e, 'resumedFrom');
    if (resumed) this.step = num(resumed.step) ?? this.step;
  }

  private onBatch(e: Json): void {
    if (this.status === 'idle' || this.status === 'starting') this.status = 'running';
    this.step = pickNum(e, 'step') ?? this.step + 1;
    this.epoch = pickNum(e, 'epoch') ?? this.epoch;
    this.batch = pickNum(e, 'batch') ?? this.batch + 1;
    this.batchesPerEpoch = pickNum(e, 'batchesPerEpoch', 'batches') ?? this.batchesPerEpoch;
    const x = this.step;
    push(this.loss, x, pickNum(e, 'loss'));
    push(this.learningRate, x, pickNum(e, 'learningRate', 'lr'));
    push(this.tokensPerSecond, x, pickNum(e, 'tokensPerSecond', 'throughput'));
    const global = pickNum(e, 'gradNorm');
    push(this.gradNorm, x, global);
    if (e.clipped === true && global !== undefined) this.clipped.push(x, global);
    for (const [name, v] of Object.entries(numberRecord(e.gradNormPerLayer))) seriesIn(this.layerNorms, name).push(x, v);
    for (const [layer, gates] of Object.entries(nestedNumberRecord(e.gradNormPerGate))) {
      let byGate = this.gateNorms.get(layer);
      if (!byGate) this.gateNorms.set(layer, (byGate = new Map()));
      for (const [gate, v] of Object.entries(gates)) seriesIn(byGate, gate).push(x, v);
    }
    for (const [name, v] of Object.entries(numberRecord(e.metrics))) seriesIn(this.batchMetrics, name).push(x, v);
  }

  private onEpoch(e: Json): void {
    this.epoch = pickNum(e, 'epoch') ?? this.epoch;
    this.totalEpochs = pickNum(e, 'epochs') ?? this.totalEpochs;
    this.step = pickNum(e, 'step') ?? this.step;
    const x = this.step;
    const train = pickRecord(e, 'train');
    const validation = pickRecord(e, 'validation');
    push(this.epochLoss, x, train ? num(train.loss) : undefined);
    push(this.validationLoss, x, validation ? num(validation.loss) : undefined);
    for (const [name, v] of Object.entries({ ...splitMetrics('train', train), ...splitMetrics('validation', validation) })) {
      if (name.endsWith(' loss')) continue;
      seriesIn(this.epochMetrics, name).push(x, v);
    }
  }

  private onProbe(e: Json): void {
    const example = pickRecord(e, 'example') ?? {};
    const gates: ProbeRecord['gates'] = {};
    for (const item of records(e.gates)) {
      const layer = str(item.layer);
      const gate = str(item.gate);
      const values = numberRows(item.values);
      if (layer && gate && values) (gates[layer] ??= {})[gate] = values;
    }
    const gradNormPerStep: Record<string, number[]> = {};
    for (const item of records(e.gradientThroughTime)) {
      const layer = str(item.layer);
      const norms = numberArray(item.norms);
      if (layer && norms) gradNormPerStep[layer] = norms;
    }
    this.probes.push({
      epoch: pickNum(e, 'epoch') ?? this.epoch,
      step: pickNum(e, 'step') ?? this.step,
      tokens: stringArray(example.tokens) ?? [],
      targetTokens: stringArray(example.targetTokens) ?? [],
      gradNormPerStep,
      gates,
      hidden: matricesBy(e.hiddenStates, 'values'),
      attention: matricesBy(e.attention, 'weights'),
    });
  }

  private onRunEnd(e: Json): void {
    const status = str(e.status);
    this.status = status === 'failed' ? 'failed' : status === 'stopped' ? 'stopped' : 'finished';
    this.endReason = status ?? '';
    const final = pickRecord(e, 'final') ?? {};
    this.finalMetrics = {
      ...splitMetrics('train', pickRecord(final, 'train')),
      ...splitMetrics('validation', pickRecord(final, 'validation')),
    };
    const best = pickRecord(e, 'best');
    if (best && num(best.value) !== undefined) this.best = { epoch: num(best.epoch) ?? 0, metric: str(best.metric) ?? '', value: num(best.value)! };
  }
}

function splitMetrics(prefix: string, split: Json | undefined): Record<string, number> {
  if (!split) return {};
  const out: Record<string, number> = {};
  const loss = num(split.loss);
  if (loss !== undefined) out[`${prefix} loss`] = loss;
  for (const [k, v] of Object.entries(numberRecord(split.metrics))) out[`${prefix} ${k}`] = v;
  const perplexity = num(split.perplexity);
  if (perplexity !== undefined) out[`${prefix} perplexity`] = perplexity;
  return out;
}

function push(series: SeriesBuffer, x: number, y: number | undefined): void {
  if (y !== undefined) series.push(x, y);
}

function seriesIn(map: Map<string, SeriesBuffer>, name: string): SeriesBuffer {
  let s = map.get(name);
  if (!s) map.set(name, (s = new SeriesBuffer(256)));
  return s;
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** `[{ layer, <field>: rows }]` -> `{ layer: rows }`. */
function matricesBy(value: unknown, field: string): Record<string, number[][]> {
  const out: Record<string, number[][]> = {};
  for (const item of records(value)) {
    const layer = str(item.layer);
    const rows = numberRows(item[field]);
    if (layer && rows) out[layer] = rows;
  }
  return out;
}

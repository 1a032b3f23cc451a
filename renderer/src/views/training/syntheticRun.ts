// A plausible, seeded stream of telemetry events (core/telemetry/events.ts, schema-valid), for developing
// the dashboards and for the dashboard performance test (100,000 points per series) without training
// anything. Never shown to users as if it were a real run.
import type { TelemetryEvent } from '../../../../core/telemetry/events.js';
import { defaultTrainingConfig } from '../../../../core/training/config.js';

export interface SyntheticOptions {
  epochs: number;
  batchesPerEpoch: number;
  seed?: number;
  /** Time steps of the probe example. */
  steps?: number;
  units?: number;
  learningRate?: number;
  runId?: string;
  /** Milliseconds between batches (for ETA and throughput). */
  batchMs?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const layers = ['embedding', 'lstm', 'head'];

export function* syntheticRun(o: SyntheticOptions): Generator<TelemetryEvent> {
  const random = rng(o.seed ?? 7);
  const steps = o.steps ?? 24;
  const units = o.units ?? 16;
  const lr = o.learningRate ?? 0.001;
  const batchMs = o.batchMs ?? 50;
  const total = o.epochs * o.batchesPerEpoch;
  const start = 1_700_000_000_000;
  const config = defaultTrainingConfig();
  config.epochs = o.epochs;
  config.optimizer.learningRate = lr;
  let step = 0;
  yield {
    v: 1,
    type: 'run-start',
    runId: o.runId ?? 'synthetic',
    time: start,
    backend: 'wasm',
    task: 'classification',
    config,
    model: { parameters: 12345, weights: [], layers },
    batchesPerEpoch: o.batchesPerEpoch,
    examples: { train: o.batchesPerEpoch * 32, validation: 64 },
    workers: 2,
  };
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    for (let batch = 1; batch <= o.batchesPerEpoch; batch++) {
      step += 1;
      const progress = step / total;
      const norm = 0.5 + 2 * Math.exp(-3 * progress) + (random() < 0.01 ? 8 : random());
      const perLayer: Record<string, number> = {};
      layers.forEach((name, i) => (perLayer[name] = norm * (0.2 + 0.3 * i) * (0.8 + 0.4 * random())));
      yield {
        v: 1,
        type: 'batch',
        time: start + step * batchMs,
        epoch,
        batch,
        step,
        batchesPerEpoch: o.batchesPerEpoch,
        loss: 0.1 + 0.6 * Math.exp(-4 * progress) + 0.05 * random(),
        metrics: { accuracy: Math.min(1, 0.5 + 0.45 * progress + 0.05 * random()) },
        learningRate: lr,
        tokensPerSecond: 4000 + 500 * random(),
        gradNorm: norm,
        clipped: norm > 5,
        gradNormPerLayer: perLayer,
        gradNormPerGate: { lstm: { input: norm * 0.3, forget: norm * 0.2, cell: norm * 0.4, output: norm * 0.25 } },
      };
    }
    yield {
      v: 1,
      type: 'epoch',
      time: start + step * batchMs,
      epoch,
      epochs: o.epochs,
      step,
      train: { loss: 0.1 + 0.6 * Math.exp((-4 * step) / total), metrics: { accuracy: 0.5 + (0.45 * step) / total } },
      validation: { loss: 0.15 + 0.6 * Math.exp((-3.5 * step) / total), metrics: { accuracy: 0.5 + (0.4 * step) / total } },
      learningRate: lr,
      seconds: (o.batchesPerEpoch * batchMs) / 1000,
      best: true,
    };
    yield syntheticProbe(epoch, step, steps, units, start + step * batchMs, random);
    yield { v: 1, type: 'checkpoint', time: start + step * batchMs, epoch, step, reason: 'epoch', location: `checkpoints/epoch-${epoch}` };
  }
  yield {
    v: 1,
    type: 'run-end',
    time: start + step * batchMs,
    status: 'completed',
    epochs: o.epochs,
    steps: step,
    seconds: (step * batchMs) / 1000,
    final: { train: { loss: 0.12, metrics: { accuracy: 0.93 } }, validation: { loss: 0.2, metrics: { accuracy: 0.9 } } },
    best: { epoch: o.epochs, metric: 'validation.loss', value: 0.2 },
  };
}

function syntheticProbe(epoch: number, step: number, steps: number, units: number, time: number, random: () => number): TelemetryEvent {
  const words = ['the', 'film', 'was', 'not', 'good', 'at', 'all', 'but', 'the', 'cast', 'tried'];
  const tokens = Array.from({ length: steps }, (_, t) => words[t % words.length]!);
  const targets = Array.from({ length: Math.max(2, Math.floor(steps / 2)) }, (_, t) => `y${t}`);
  const unitsByTime = (f: (u: number, t: number) => number) =>
    Array.from({ length: units }, (_, u) => Array.from({ length: steps }, (_, t) => f(u, t)));
  return {
    v: 1,
    type: 'probe',
    time,
    epoch,
    step,
    example: { index: 0, split: 'validation', tokens, targetTokens: targets, length: steps },
    // Later steps get larger gradients: the vanishing picture, softening as training goes on.
    gradientThroughTime: [{ layer: 'lstm', norms: tokens.map((_, t) => Math.pow(0.8 + 0.02 * epoch, steps - 1 - t) * (0.5 + random())) }],
    gates: [
      { layer: 'lstm', gate: 'input', values: unitsByTime(() => random()) },
      { layer: 'lstm', gate: 'forget', values: unitsByTime((u, t) => 0.5 + 0.5 * Math.sin(t / 3 + u)) },
    ],
    hiddenStates: [{ layer: 'lstm', values: unitsByTime((u, t) => Math.tanh(Math.sin(t * 0.4 + u * 0.7))) }],
    attention: [
      {
        layer: 'attention',
        weights: targets.map((_, i) => {
          const row = tokens.map((_, j) => Math.exp(-Math.abs(j - 2 * i)) + 0.01 * random());
          const sum = row.reduce((a, b) => a + b, 0);
          return row.map((v) => v / sum);
        }),
      },
    ],
  };
}

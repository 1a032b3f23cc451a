import { describe, expect, it } from 'vitest';
import { makeEvent, type TelemetryEvent } from '../../../../core/telemetry/events.js';
import { defaultTrainingConfig } from '../../../../core/training/config.js';
import { ProgressPrinter } from '../../../../main/training/progress.js';

const config = { ...defaultTrainingConfig(), epochs: 2 };
const events: TelemetryEvent[] = [
  makeEvent({
    type: 'run-start',
    runId: 'r1',
    backend: 'wasm',
    config,
    model: { parameters: 10, weights: [], layers: [] },
    batchesPerEpoch: 20,
    examples: { train: 640, validation: 64 },
  }),
  ...Array.from({ length: 20 }, (_, i) =>
    makeEvent({
      type: 'batch',
      epoch: 1,
      batch: i + 1,
      batchesPerEpoch: 20,
      step: i + 1,
      loss: 0.5,
      metrics: {},
      learningRate: 0.001,
      tokensPerSecond: 1234.4,
      gradNorm: 1,
      gradNormPerLayer: {},
      gradNormPerGate: {},
      clipped: false,
    }),
  ),
  makeEvent({
    type: 'epoch',
    epoch: 1,
    epochs: 2,
    step: 20,
    train: { loss: 0.5, metrics: { accuracy: 0.75 } },
    validation: { loss: 0.6, metrics: { accuracy: 0.7 } },
    learningRate: 0.001,
    seconds: 2,
    best: true,
  }),
];

function print(mode: 'tty' | 'lines' | 'ndjson'): string {
  let out = '';
  const printer = new ProgressPrinter(mode, (t) => (out += t));
  for (const e of events) printer.onEvent(e);
  return out;
}

describe('CLI progress', () => {
  it('piped: plain lines, one per tenth of an epoch and one per epoch, no carriage returns', () => {
    const out = print('lines');
    expect(out).not.toContain('\r');
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^Training r1 on wasm: 10 parameters, 640 examples, 2 epochs/);
    expect(lines.filter((l) => l.startsWith('epoch 1/2 batch'))).toHaveLength(10);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        String.raw`^epoch 1\/2 {2}loss 0\.5000 {2}accuracy 0\.7500 {2}\| ` +
          String.raw`validation loss 0\.6000 {2}accuracy 0\.7000 {2}\(2\.0 s, best\)$`,
      ),
    );
    expect(out).toMatch(/1234 tok\/s {2}ETA /);
  });
  it('terminal: a bar rewritten in place with \\r, then the epoch line on its own', () => {
    const out = print('tty');
    expect(out).toContain('\r[' + '#'.repeat(24) + '] epoch 1/2 batch 20/20');
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/\r\s+\repoch 1\/2 {2}loss/);
  });
  it('ndjson: every event, one JSON object per line', () => {
    const lines = print('ndjson').trim().split('\n');
    expect(lines).toHaveLength(events.length);
    expect(JSON.parse(lines[1]!)).toMatchObject({ type: 'batch', batch: 1 });
  });

  it(
    'warnings (a divergence, with its step) go to the warning stream on a terminal and when piped; ' +
      'NDJSON keeps them as events',
    () => {
      const warning = makeEvent({
        type: 'warning',
        code: 'loss-exploding',
        step: 57,
        value: 1.2e4,
        growth: 3400,
        message: 'The loss is exploding: 1.20e+4 at step 57, ×3,400 the median of the 9 batches before',
      });
      for (const mode of ['tty', 'lines'] as const) {
        let out = '';
        let err = '';
        const printer = new ProgressPrinter(
          mode,
          (t) => (out += t),
          24,
          (t) => (err += t),
        );
        for (const e of [...events, warning]) printer.onEvent(e);
        expect(err).toBe(
          'warning: The loss is exploding: 1.20e+4 at step 57, ×3,400 the median of the 9 batches before\n',
        );
        expect(out).not.toContain('exploding');
      }
      let out = '';
      new ProgressPrinter(
        'ndjson',
        (t) => (out += t),
        24,
        () => {},
      ).onEvent(warning);
      expect(JSON.parse(out)).toMatchObject({
        type: 'warning',
        code: 'loss-exploding',
        step: 57,
        growth: 3400,
      });
    },
  );
});

// Stored histories are upgraded on read: every line comes back as a current, schema-checked event or as an
// `unreadable` entry naming the line and the reason, never as an object the UI has to guess at.
import { describe, expect, it } from 'vitest';
import {
  readHistoryLine,
  upgradeTelemetryEvent,
  type TelemetryUpgrade,
} from '../../../../core/telemetry/history.js';
import { defaultTrainingConfig } from '../../../../core/training/config.js';
import { syntheticRun } from '../../../fixtures/training/syntheticRun.js';

const events = [...syntheticRun({ epochs: 1, batchesPerEpoch: 2 })];
const runStart = events[0]!;
const batch = events[1]!;

describe('readHistoryLine', () => {
  it('returns each event of a current history as it was written', () => {
    events.forEach((event, i) => expect(readHistoryLine(JSON.stringify(event), i)).toEqual(event));
  });

  it("completes a run-start written before a training setting existed with that setting's default", () => {
    const config = JSON.parse(JSON.stringify(runStart.type === 'run-start' ? runStart.config : {}));
    delete config.clipping;
    const old = { ...runStart, config };
    const read = readHistoryLine(JSON.stringify(old), 0);
    expect(read?.type).toBe('run-start');
    expect(read?.type === 'run-start' && read.config.clipping).toEqual(defaultTrainingConfig().clipping);
  });

  it('marks a cut line, an event from a newer studio and a damaged event as unreadable, by line', () => {
    expect(readHistoryLine('{"v":1,"type":"bat', 7)).toEqual({
      type: 'unreadable',
      line: 7,
      message: expect.stringMatching(/not JSON/),
    });
    expect(readHistoryLine(JSON.stringify({ ...batch, v: 2 }), 3)).toMatchObject({
      type: 'unreadable',
      line: 3,
      message: expect.stringMatching(/newer studio \(telemetry version 2/),
    });
    expect(readHistoryLine(JSON.stringify({ ...batch, loss: 'high' }), 4)).toMatchObject({
      type: 'unreadable',
      message: expect.stringMatching(/^batch loss:/),
    });
    expect(readHistoryLine('   ', 5)).toBeUndefined();
  });
});

describe('upgradeTelemetryEvent', () => {
  it("runs the upgrade steps in order from the event's version", () => {
    // A hypothetical version 0 that called the learning rate `lr`.
    const steps: TelemetryUpgrade[] = [
      {
        from: 0,
        upgrade: ({ lr, ...rest }) => ({ ...rest, learningRate: lr }),
      },
    ];
    const { learningRate, ...rest } = batch as Extract<typeof batch, { type: 'batch' }>;
    const v0 = { ...rest, v: 0, lr: learningRate };
    expect(upgradeTelemetryEvent(v0, 0, steps)).toEqual(batch);
    expect(upgradeTelemetryEvent(v0, 0, [])).toMatchObject({ type: 'unreadable' });
  });
});

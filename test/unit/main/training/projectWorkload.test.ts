// The real path in one process: a template project's graph compiled by the engine and its generated
// dataset, trained one short epoch by the loop, with the probe's gradient through time from the engine.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../../core/telemetry/events.js';
import { TrainingConfigSchema } from '../../../../core/training/config.js';
import { RunControl } from '../../../../core/training/control.js';
import { train } from '../../../../core/training/loop.js';
import { ProjectStore } from '../../../../main/project/index.js';
import { createWorkload } from '../../../../main/training/projectWorkload.js';
import { WorkloadError } from '../../../../main/training/workload.js';

const resourcesDir = fileURLToPath(new URL('../../../../resources', import.meta.url));
let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'rnn-workload-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function templateDoc(id: string) {
  const store = new ProjectStore({ dataDir: dir, resourcesDir, autosaveMs: 0 });
  await store.init();
  return store.doc((await store.create(id)).projectId);
}

describe('project workload', () => {
  it('trains the adding-problem template (engine + data) and probes its LSTM through time', async () => {
    const doc = await templateDoc('adding-problem');
    const dataset = {
      ...doc.dataset!,
      source: {
        kind: 'generator' as const,
        name: 'adding-problem',
        params: { count: 80, length: 12 },
        seed: 1,
      },
    };
    const workload = await createWorkload({ doc: { ...doc, dataset }, files: {}, projectPath: null });
    const events: TelemetryEvent[] = [];
    const end = await train({
      runId: 'w1',
      model: workload.model,
      data: workload.data,
      backend: 'cpu',
      control: new RunControl(),
      config: TrainingConfigSchema.parse({ ...workload.config, epochs: 1, batchSize: 16 }),
      hooks: { emit: (e) => events.push(e), saveCheckpoint: () => 'memory' },
    });
    workload.model.dispose();
    expect(end.status).toBe('completed');
    const batch = events.find((e) => e.type === 'batch');
    expect(batch?.type === 'batch' && Object.keys(batch.gradNormPerGate.lstm ?? {})).toEqual([
      'input',
      'forget',
      'cell',
      'output',
    ]);
    const probe = events.find((e) => e.type === 'probe');
    if (probe?.type !== 'probe') throw new Error('no probe event');
    const norms = probe.gradientThroughTime.find((g) => g.layer === 'lstm')?.norms ?? [];
    expect(norms).toHaveLength(12);
    expect(norms.every((n) => n !== null && n >= 0)).toBe(true);
    expect(probe.gates.map((g) => g.gate).sort()).toEqual(['cell', 'forget', 'input', 'output']);
  });

  it('a project without a dataset is refused, naming the field', async () => {
    const doc = await templateDoc('adding-problem');
    const { dataset: _dropped, ...withoutData } = doc;
    await expect(createWorkload({ doc: withoutData, files: {}, projectPath: null })).rejects.toThrow(
      WorkloadError,
    );
    await expect(createWorkload({ doc: withoutData, files: {}, projectPath: null })).rejects.toMatchObject({
      where: 'dataset',
    });
  });
});

// A training run reads a dataset saved by path in its own process: with the served studio's workspace
// passed along (projectWorkloadOptions), a path outside it is refused there too; without one (the CLI,
// the desktop app) any regular file is read.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../../../main/data/index.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';
import { ProjectStore } from '../../../../main/project/index.js';
import { workspaceOnly } from '../../../../main/files/access.js';
import { createWorkload } from '../../../../main/training/projectWorkload.js';
import { projectWorkloadOptions } from '../../../../main/training/service.js';
import type { ProjectDoc } from '../../../../core/project/index.js';

let root: string;
let doc: ProjectDoc;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'rnn-train-paths-'));
  mkdirSync(join(root, 'workspace'));
  const rows = Array.from(
    { length: 40 },
    (_, i) => `${i % 2 ? 'a good film' : 'a bad film'} ${i},${i % 2 ? 'pos' : 'neg'}`,
  );
  writeFileSync(join(root, 'outside.csv'), ['text,label', ...rows].join('\n'));
  const store = new ProjectStore({ dataDir: join(root, 'data'), resourcesDir, autosaveMs: 0 });
  await store.init();
  const template = store.doc((await store.create('sentiment')).projectId);
  const imported = await importDataset(
    { path: join(root, 'outside.csv') },
    { embed: false, task: 'classification' },
  );
  expect(imported.spec.source.kind).toBe('file');
  doc = { ...template, dataset: imported.spec };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a training run and the workspace', () => {
  it('refuses a dataset path outside the workspace it was given', async () => {
    const options = { doc, files: {}, projectPath: null, workspace: [join(root, 'workspace')] };
    await expect(createWorkload(options)).rejects.toThrow(/outside\.csv is outside the workspace/);
  });

  it('reads it when no workspace is given (CLI, desktop)', async () => {
    const workload = await createWorkload({ doc, files: {}, projectPath: null });
    expect(workload.data.train.size + (workload.data.validation?.size ?? 0)).toBeGreaterThan(0);
  });

  it('the served studio passes its workspace to every run it starts', async () => {
    const access = await workspaceOnly(join(root, 'workspace'));
    const store = new ProjectStore({ dataDir: join(root, 'data2'), resourcesDir, autosaveMs: 0, access });
    await store.init();
    const { projectId } = await store.create('adding-problem');
    expect(projectWorkloadOptions(store, projectId)).toMatchObject({ workspace: access.roots });
    const anywhere = new ProjectStore({ dataDir: join(root, 'data3'), resourcesDir, autosaveMs: 0 });
    await anywhere.init();
    expect(
      projectWorkloadOptions(anywhere, (await anywhere.create('adding-problem')).projectId),
    ).not.toHaveProperty('workspace');
  });
});

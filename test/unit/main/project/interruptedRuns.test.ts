// A run the project still records as running after its process was killed is listed as stopped (the
// status of a run that ended early and resumes from its last checkpoint) with its last recorded step, by
// every open: the CLI's and the studio's. A run whose recording process is alive stays running.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/program.js';
import {
  DEFAULT_LIMITS,
  markInterruptedRuns,
  ProjectStore,
  readProjectFile,
  readProjectZip,
} from '../../../../main/project/index.js';

const resourcesDir = join(import.meta.dirname, '../../../../resources');
const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
const history = (events: object[]) =>
  new TextEncoder().encode(events.map((e) => JSON.stringify(e)).join('\n') + '\n{"type":"bat');
const run = (id: string, extra: object) => ({
  id,
  name: id,
  startedAt: '2026-01-01T00:00:00.000Z',
  epochs: 1,
  best: {},
  final: {},
  history: `history/${id}.ndjson`,
  ...extra,
});

async function projectWithRuns(): Promise<string> {
  const store = new ProjectStore({
    dataDir: mkdtempSync(join(tmpdir(), 'rnn-interrupted-')),
    resourcesDir,
    autosaveMs: 0,
  });
  await store.init();
  const { projectId, doc } = await store.create('adding-problem');
  store.writeEntries(projectId, {
    // The kill cut the last line in half: the step comes from the last whole event.
    'history/killed.ndjson': history([
      { type: 'run-start' },
      { type: 'batch', step: 11, time: Date.UTC(2026, 0, 1, 0, 5) },
      { type: 'checkpoint', step: 12, time: Date.UTC(2026, 0, 1, 0, 6) },
    ]),
    'history/old.ndjson': history([{ type: 'batch', step: 3, time: Date.UTC(2026, 0, 1) }]),
  });
  store.update(projectId, {
    ...doc,
    runs: [
      run('killed', { status: 'running', pid: deadPid, steps: 6 }),
      run('old', { status: 'running' }), // written before runs carried a pid: nothing can be training it
      run('live', { status: 'running', pid: process.pid }),
      run('done', { status: 'completed', steps: 30 }),
    ],
  });
  const path = join(mkdtempSync(join(tmpdir(), 'rnn-interrupted-file-')), 'p.rnnproj');
  await store.save(projectId, path);
  return path;
}

const statuses = (runs: { id: string; status: string; steps?: number }[]) =>
  runs.map((r) => [r.id, r.status, r.steps]);
const expected = [
  ['killed', 'stopped', 12],
  ['old', 'stopped', 3],
  ['live', 'running', undefined],
  ['done', 'completed', 30],
];

describe('runs cut off by a kill, at the next open', () => {
  it(
    'readProjectFile (every CLI command) and validate ' + '--json list them as stopped at their last step',
    async () => {
      const path = await projectWithRuns();
      const { doc } = await readProjectFile(path);
      expect(statuses(doc.runs)).toEqual(expected);
      expect(doc.runs[0]).toMatchObject({ endedAt: '2026-01-01T00:06:00.000Z' });
      expect(doc.runs[0]).not.toHaveProperty('pid');
      let out = '';
      expect(
        await runCli(['validate', path, '--json'], { out: (t) => (out += t), err: () => {}, isTTY: false }),
      ).toBe(0);
      expect(
        statuses((JSON.parse(out) as { runs: { id: string; status: string; steps?: number }[] }).runs),
      ).toEqual(expected);
    },
  );

  it(
    'the studio open lists them as stopped, ' + 'without marking the project unsaved; a save writes it',
    async () => {
      const path = await projectWithRuns();
      const store = new ProjectStore({
        dataDir: mkdtempSync(join(tmpdir(), 'rnn-interrupted-app-')),
        resourcesDir,
        autosaveMs: 0,
      });
      await store.init();
      const session = await store.openFile(path);
      expect(statuses(session.doc.runs)).toEqual(expected);
      expect(session.dirty).toBe(false);
      const onDisk = () =>
        (
          JSON.parse(
            new TextDecoder().decode(readProjectZip(readFileSync(path), DEFAULT_LIMITS).get('project.json')),
          ) as { runs: { id: string; status: string; steps?: number }[] }
        ).runs;
      expect(statuses(onDisk())[0]).toEqual(['killed', 'running', 6]);
      await store.save(session.projectId);
      expect(statuses(onDisk())).toEqual(expected);
    },
  );

  it('leaves a document without cut-off runs as it is', () => {
    const doc = { runs: [run('live', { status: 'running', pid: 12345 })] } as unknown as Parameters<
      typeof markInterruptedRuns
    >[0];
    expect(
      markInterruptedRuns(
        doc,
        () => undefined,
        () => true,
      ),
    ).toBe(doc);
    expect(
      markInterruptedRuns(
        doc,
        () => undefined,
        () => false,
      ).runs[0],
    ).toMatchObject({ status: 'stopped' });
  });
});

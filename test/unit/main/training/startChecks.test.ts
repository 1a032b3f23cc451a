// training.start refuses what cannot train at once, with the reason and the field, as a 4xx of the web
// host (no engine process is started); and a limit of runs at once across projects, one per project.
import { request as httpRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDoc } from '../../../../core/project/index.js';
import { EventHub } from '../../../../main/host/eventHub.js';
import { createHandlers } from '../../../../main/host/handlers.js';
import { trainingHandlers } from '../../../../main/host/handlers/trainingHandlers.js';
import { startWebHost, type WebHost } from '../../../../main/host/webHost.js';
import { ProjectStore } from '../../../../main/project/index.js';
import type { RunExit, RunLauncher } from '../../../../main/training/runProcess.js';
import { defaultMaxRuns, TrainingService } from '../../../../main/training/service.js';

const resourcesDir = join(import.meta.dirname, '../../../../resources');
const token = 'r'.repeat(48);

/** Engine processes that do nothing until the test ends them: what was launched, and how to end it. */
function fakeEngines() {
  const launched: { runId: string; end(): void }[] = [];
  const launch: RunLauncher = (spec) => {
    let end!: (exit: RunExit) => void;
    const exited = new Promise<RunExit>((resolve) => (end = resolve));
    launched.push({ runId: spec.runId, end: () => end({ code: 0, signal: null, clean: true }) });
    return { pid: 1, pause() {}, resume() {}, stop() {}, checkpointSaved() {}, kill() {}, exited };
  };
  return { launched, launch };
}

let store: ProjectStore;
let web: WebHost;
const engines = fakeEngines();
let service: TrainingService;

beforeAll(async () => {
  store = new ProjectStore({
    dataDir: mkdtempSync(join(tmpdir(), 'rnn-start-')),
    resourcesDir,
    autosaveMs: 0,
  });
  await store.init();
  service = new TrainingService({ store, launch: engines.launch, maxConcurrentRuns: 2 });
  const handlers = createHandlers({
    handlers: trainingHandlers(service),
    recent: () => [],
    unsavedProjects: () => [],
    close: async () => {},
  });
  web = await startWebHost({
    rendererDir: mkdtempSync(join(tmpdir(), 'rnn-start-ui-')),
    handlers,
    events: new EventHub(),
    token,
    port: 52031,
  });
});
afterAll(async () => {
  await web.close();
});

function call(
  name: string,
  body: unknown,
): Promise<{
  status: number;
  body: { ok: boolean; error?: { code: string; message: string; where?: string } };
}> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: web.port,
        path: `/api/call/${name}`,
        method: 'POST',
        headers: {
          host: `127.0.0.1:${web.port}`,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

async function project(change: (doc: ProjectDoc) => ProjectDoc = (d) => d): Promise<string> {
  const { projectId, doc } = await store.create('adding-problem');
  store.update(projectId, change(doc));
  return projectId;
}

describe('training.start refuses an impossible run at once', () => {
  it(
    'no data, bad settings, a graph with errors: ' + '400 with the reason and the field; nothing launched',
    async () => {
      const before = engines.launched.length;
      const noData = await project(({ dataset: _d, ...doc }) => doc as ProjectDoc);
      const headless = await project((doc) => ({
        ...doc,
        graph: {
          ...doc.graph,
          nodes: doc.graph.nodes.filter((n) => n.kind !== 'head'),
          edges: doc.graph.edges.filter(
            (e) => doc.graph.nodes.find((n) => n.id === e.to.node)?.kind !== 'head',
          ),
        },
      }));
      const fine = await project();
      const cases = [
        { projectId: noData, options: {}, where: /^dataset$/, message: /no dataset/ },
        {
          projectId: fine,
          options: { learningRate: 50 },
          where: /^training\.optimizer\.learningRate$/,
          message: /training settings are not valid: training\.optimizer\.learningRate/,
        },
        {
          projectId: headless,
          options: {},
          where: /^graph\.nodes$/, // the graph's problem names where it is
          message: /cannot train yet: The model has no Output head/,
        },
      ];
      for (const c of cases) {
        const answer = await call('training.start', { projectId: c.projectId, options: c.options });
        expect(answer.status, JSON.stringify(answer.body)).toBe(400);
        expect(answer.body.error).toMatchObject({
          code: 'invalid-input',
          where: expect.stringMatching(c.where),
          message: expect.stringMatching(c.message),
        });
      }
      expect(engines.launched.length).toBe(before);
      expect(service.listRuns(noData)).toEqual([]);
    },
  );
});

describe('the start checks refuse nothing that can train', () => {
  it('every template passes them as it ships', async () => {
    const { listTemplates } = await import('../../../../main/project/index.js');
    const { startProblem } = await import('../../../../main/training/preflight.js');
    const templates = await listTemplates(resourcesDir);
    expect(templates.length).toBeGreaterThan(5);
    for (const { id } of templates) {
      const { projectId, doc } = await store.create(id);
      const problem = startProblem(
        doc,
        {},
        {
          projectWorkload: true,
          projectPath: null,
          hasEntry: (name) => store.readEntry(projectId, name) !== undefined,
        },
      );
      expect(problem, id).toBeUndefined();
    }
  });
});

describe('a run the engine refuses before training', () => {
  it('is recorded as failed with the reason, not left running (and so listed as stopped)', async () => {
    const refusing = new TrainingService({
      store,
      workloadModule: join(tmpdir(), 'no-such-workload.ts'),
      workloadOptions: () => ({}),
    });
    const errors: string[] = [];
    refusing.onEvent(({ event }) => event.type === 'error' && errors.push(event.message));
    const { projectId } = await store.create('adding-problem');
    const { runId } = await refusing.start(projectId, { backend: 'cpu' });
    const exit = await refusing.finished(runId);
    expect(exit?.clean).toBe(true); // the engine said why and ended on its own
    expect(errors.join(' ')).toMatch(/no-such-workload/);
    expect(refusing.listRuns(projectId).map((r) => [r.id, r.status])).toEqual([[runId, 'failed']]);
  }, 60_000);
});

describe('runs at once', () => {
  it('one per project, and at most the limit across projects, with a message saying what to do', async () => {
    const [a, b, c] = [await project(), await project(), await project()];
    const first = await call('training.start', { projectId: a, options: {} });
    expect(first.status).toBe(200);
    const again = await call('training.start', { projectId: a, options: {} });
    expect(again.status).toBe(400);
    expect(again.body.error?.message).toMatch(/already training/);
    expect((await call('training.start', { projectId: b, options: {} })).status).toBe(200);
    const third = await call('training.start', { projectId: c, options: {} });
    expect(third.status).toBe(400);
    expect(third.body.error?.message).toBe(
      '2 runs are training already, the most this studio trains at once (2): ' +
        'wait for one to finish or stop one, then start again.',
    );
    // When one ends, the next may start.
    const ended = engines.launched.at(-2)!;
    ended.end();
    await service.finished(ended.runId);
    expect((await call('training.start', { projectId: c, options: {} })).status).toBe(200);
    for (const run of engines.launched) run.end();
  });

  it('defaults to 2; RNN_STUDIO_MAX_RUNS changes it (a bad value keeps the default)', () => {
    expect(defaultMaxRuns({})).toBe(2);
    expect(defaultMaxRuns({ RNN_STUDIO_MAX_RUNS: '4' })).toBe(4);
    expect(defaultMaxRuns({ RNN_STUDIO_MAX_RUNS: '0' })).toBe(2);
  });
});

// Event-loop delay of the process hosting the studio (web host / Electron main) while a run trains in its
// engine process: the host only relays events and writes checkpoints, so its loop must stay responsive.
// Measured with perf_hooks.monitorEventLoopDelay over a whole run; target p99 < 100 ms.
// Every event is also JSON-encoded as the web host does before sending it to the browser.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ProjectStore } from '../../main/project/index.js';
import { TrainingService } from '../../main/training/service.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'rnn-eventloop-'));
const store = new ProjectStore({
  dataDir: join(dir, 'data'),
  resourcesDir: join(root, 'resources'),
  autosaveMs: 0,
});
await store.init();
const session = await store.create('adding-problem');
await store.save(session.projectId, join(dir, 'bench.rnnproj'));
// Default: the adding-problem template as the studio trains it (real engine, 1,600 sequences of 50
// steps, LSTM 32). EVENTLOOP_WORKLOAD=toy uses the step-by-step toy LSTM instead.
const toy = process.env.EVENTLOOP_WORKLOAD === 'toy';
const workload = toy
  ? { size: 512, steps: 50, units: 32, batchSize: 16, epochs: 4 }
  : { template: 'adding-problem', epochs: 3 };
const service = new TrainingService({
  store,
  ...(toy
    ? { workloadModule: join(root, 'test/fixtures/training/toyWorkload.ts'), workloadOptions: () => workload }
    : {}),
});
let events = 0;
let bytes = 0;
service.onEvent(({ event }) => {
  events += 1;
  bytes += JSON.stringify(event).length;
});
const histogram = monitorEventLoopDelay({ resolution: 10 });
const started = Date.now();
const { runId } = await service.start(session.projectId, {
  backend: toy ? 'cpu' : 'auto',
  ...(toy ? {} : { epochs: 3 }),
});
let firstBatch = 0;
const off = service.onEvent(({ event }) => {
  // Measure while the run trains, not while the engine process starts.
  if (event.type === 'batch' && firstBatch === 0) {
    firstBatch = Date.now();
    histogram.enable();
  }
});
await service.finished(runId);
histogram.disable();
off();
const ms = (ns: number) => ns / 1e6;
const p50 = ms(histogram.percentile(50));
const p99 = ms(histogram.percentile(99));
const max = ms(histogram.max);
console.log(
  `${toy ? 'toy LSTM' : 'template'} ${JSON.stringify(workload)}: ` +
    `${events} events (${(bytes / 1024).toFixed(0)} KiB), ` +
    `training ${((Date.now() - firstBatch) / 1000).toFixed(1)} s of ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(
  `host event-loop delay while training: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ` +
    `max ${max.toFixed(1)} ms (target p99 < 100 ms)`,
);
await rm(dir, { recursive: true, force: true });
process.exitCode = p99 < 100 ? 0 : 1;

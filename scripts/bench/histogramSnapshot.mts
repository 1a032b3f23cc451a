// Cost of one weight and activation histogram snapshot (core/training/histograms.ts) on the templates, on
// wasm (the CPU backend the studio trains on here): binning the weights from the rollback copy the loop
// already holds, the activations when the probe does not run that epoch (one forward pass of the probe
// example), what they add to a probe that runs anyway (+act: reading and binning the outputs its forward
// pass kept), and the event's size in a history. `readback` is the loop's own weight copy, for scale.
// Run with `npx tsx scripts/bench/histogramSnapshot.mts`; prints figures, asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../../main/engine/backend.js';
import { ProjectStore } from '../../main/project/index.js';
import { createWorkload } from '../../main/training/projectWorkload.js';
import {
  activationHistograms,
  probeActivations,
  weightHistograms,
  type PendingActivation,
} from '../../core/training/histograms.js';
import { runProbe } from '../../core/training/probe.js';
import { saveWeights } from '../../core/training/weights.js';

await selectBackend('wasm');
const resourcesDir = fileURLToPath(new URL('../../resources', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'rnn-histogram-bench-'));
const store = new ProjectStore({ dataDir: dir, resourcesDir, autosaveMs: 0 });
await store.init();

async function median(runs: number, f: () => Promise<unknown> | unknown): Promise<number> {
  await f(); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

console.log('template          params  weights ms  readback ms  activations ms  probe ms  +act ms  event KB');
for (const template of ['adding-problem', 'sentiment', 'char-lm', 'tagger', 'date-translation']) {
  const doc = store.doc((await store.create(template)).projectId);
  const workload = await createWorkload({ doc, files: {}, projectPath: null }).catch((e: Error) => e);
  if (workload instanceof Error) {
    console.log(`${template.padEnd(16)} skipped: ${workload.message}`);
    continue;
  }
  const { model, data } = workload;
  const source = data.validation && data.validation.size > 0 ? data.validation : data.train;
  const saved = await saveWeights(model.weights);
  const params = saved.reduce((n, s) => n + s.data.length, 0);
  const bins = await median(9, () => weightHistograms(model.weights, saved));
  const readback = await median(9, () => saveWeights(model.weights)); // what the loop pays anyway
  const activations = await median(15, () => probeActivations(model, source, 0));
  const probe = await median(15, () => runProbe(model, source, 0, 'validation'));
  // With the probe: its forward pass is shared, the snapshot pays reading and binning the kept outputs.
  const reads: number[] = [];
  for (let i = 0; i < 15; i++) {
    const pending: PendingActivation[] = [];
    await runProbe(model, source, 0, 'validation', pending);
    const t = performance.now();
    await activationHistograms(pending);
    reads.push(performance.now() - t);
  }
  const withProbe = reads.sort((a, b) => a - b)[7]!;
  const event = JSON.stringify({
    weights: weightHistograms(model.weights, saved),
    activations: await probeActivations(model, source, 0),
  });
  const cells = [
    template.padEnd(16),
    String(params).padStart(7),
    bins.toFixed(2).padStart(11),
    readback.toFixed(2).padStart(12),
    activations.toFixed(2).padStart(15),
    probe.toFixed(1).padStart(9),
    withProbe.toFixed(2).padStart(8),
    (event.length / 1024).toFixed(1).padStart(9),
  ];
  console.log(cells.join(' '));
  model.dispose();
}
await rm(dir, { recursive: true, force: true });

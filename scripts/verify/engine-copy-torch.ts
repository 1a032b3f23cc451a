// Is the copy task slow to learn because of the engine, or because the task is slow? This trains the
// copy-task template's LSTM for a few hundred steps through the studio's path (engine-shared.ts), records
// its initial weights, every batch the loop drew and every batch loss, then replays exactly that run in
// PyTorch (Debian's python3-torch): same weights, same batches, Adam on PyTorch's rules, global-norm
// clipping at 1. Targets: the first loss agrees to 1e-4 relative (same forward), the first 20 steps to
// 1e-2 (same gradients and updates; float32 rounding then drifts apart slowly), and the mean loss of the
// last 50 steps to 5% (same learning speed).
// Usage: npx tsx scripts/verify/engine-copy-torch.ts [--steps N] [--units H] [--lr R] [--batch B]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch } from '../../core/data/batch.js';
import { RunControl } from '../../core/training/control.js';
import { train } from '../../core/training/loop.js';
import { loadTemplate } from '../../main/project/templates.js';
import { arg, buildRun, release, startClock, templateProject, useBackend } from './engine-shared.js';

// Defaults: the copy-task template's own size, rate and batch (its clipping is global-norm 1, as replayed).
const template = (await loadTemplate('resources', 'copy-task')).template.project;
const STEPS = arg('--steps', 200);
const UNITS = arg('--units', template.graph.nodes.find((n) => n.id === 'lstm')?.params.units as number);
const LR = arg('--lr', template.training.optimizer.learningRate);
const BATCH = arg('--batch', template.training.batchSize);
const PYTHON = process.env.TORCH_PYTHON ?? '/usr/bin/python3';

// The replay: Keras layout → PyTorch (kernel transposed; gate order i, f, c, o is PyTorch's i, f, g, o; one
// bias, so bias_hh is zero and frozen or it would get a second Adam update of its own).
const REPLAY = String.raw`
import json, sys, time, torch, torch.nn as nn
torch.set_num_threads(1)
cfg = json.load(open(sys.argv[1]))
W = {k: torch.tensor(v['data'], dtype=torch.float32).reshape(v['shape']) for k, v in cfg['weights'].items()}
H = cfg['units']
# A learned embedding, or one-hot input (the embedding block's oneHot option has no weights).
emb = None
if 'embed/embeddings' in W:
    emb = nn.Embedding.from_pretrained(W['embed/embeddings'].clone(), freeze=False)
embed = emb if emb is not None else (lambda x: nn.functional.one_hot(x, cfg['inputWidth']).float())
lstm = nn.LSTM(cfg['inputWidth'], H, batch_first=True)
head = nn.Linear(H, W['symbols/bias'].shape[0])
with torch.no_grad():
    lstm.weight_ih_l0.copy_(W['lstm/kernel'].T); lstm.weight_hh_l0.copy_(W['lstm/recurrent_kernel'].T)
    lstm.bias_ih_l0.copy_(W['lstm/bias']); lstm.bias_hh_l0.zero_()
    head.weight.copy_(W['symbols/kernel'].T); head.bias.copy_(W['symbols/bias'])
lstm.bias_hh_l0.requires_grad_(False)
params = [p for m in (emb, lstm, head) if m is not None for p in m.parameters() if p.requires_grad]
opt = torch.optim.Adam(params, lr=cfg['lr'], eps=1e-8)
losses = []
t0 = time.process_time()
for b in cfg['batches']:
    x = torch.tensor(b['tokens']).reshape(b['shape']); y = torch.tensor(b['labels']).reshape(b['shape'])
    out = head(lstm(embed(x))[0])
    loss = nn.functional.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
    opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(params, 1.0); opt.step()
    losses.append(loss.item())
print(json.dumps({'losses': losses, 'cpuSeconds': time.process_time() - t0}))
`;

const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.log(
    `skipped: ${PYTHON} cannot import torch (install python3-torch or set TORCH_PYTHON); ` +
      `nothing was compared`,
  );
  process.exit(0);
}

const backend = await useBackend();
const doc = await templateProject('copy-task', {
  // Exactly STEPS batches in one epoch: the generator's 80% training split holds STEPS·BATCH sequences.
  params: { symbols: 8, length: 8, delay: 50, count: Math.ceil((STEPS * BATCH) / 0.8) },
  // The template's LSTM options (its chrono initialisation) stay: the replay starts from the same biases.
  graph: (g) => ({
    ...g,
    nodes: g.nodes.map((n) => (n.id === 'lstm' ? { ...n, params: { ...n.params, units: UNITS } } : n)),
  }),
  training: {
    epochs: 1,
    batchSize: BATCH,
    seed: 7,
    optimizer: { kind: 'adam', learningRate: LR },
    clipping: { kind: 'global-norm', value: 1 },
  },
});
const run = await buildRun(doc);
const initial = Object.fromEntries(
  run.model.weights.map((w) => [
    w.name,
    { shape: w.variable.shape, data: Array.from(w.variable.dataSync()) },
  ]),
);
const batches: { tokens: number[]; labels: number[]; shape: number[] }[] = [];
const drawn = run.data.train.batch.bind(run.data.train);
run.data = {
  ...run.data,
  train: {
    ...run.data.train,
    batch: (indices: number[]): Batch => {
      const b = drawn(indices);
      batches.push({
        tokens: Array.from(b.tokens!.data),
        labels: Array.from(b.labels!.data),
        shape: b.tokens!.shape,
      });
      return b;
    },
  },
};
const engineLosses: number[] = [];
const clock = startClock();
// The loop's batch events carry each step's loss.
await train({
  runId: 'copy-torch',
  model: run.model,
  data: run.data,
  config: run.doc.training,
  backend: backend.name,
  control: new RunControl(),
  hooks: {
    emit: (e) => {
      if (e.type === 'batch') engineLosses.push(e.loss ?? NaN);
    },
    saveCheckpoint: () => 'memory',
  },
});
const engineTime = clock.text();
const lstmW = initial['lstm/kernel']!;
const dir = mkdtempSync(join(tmpdir(), 'copy-torch-'));
writeFileSync(
  join(dir, 'run.json'),
  JSON.stringify({ units: UNITS, lr: LR, weights: initial, batches, inputWidth: lstmW.shape[0] }),
);
writeFileSync(join(dir, 'replay.py'), REPLAY);
const py = spawnSync(PYTHON, [join(dir, 'replay.py'), join(dir, 'run.json')], {
  encoding: 'utf8',
  env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  maxBuffer: 1 << 26,
});
rmSync(dir, { recursive: true, force: true });
if (py.status !== 0) {
  console.log(`PyTorch replay failed:\n${py.stderr}`);
  process.exit(2);
}
const torch = JSON.parse(py.stdout) as { losses: number[]; cpuSeconds: number };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
const first = rel(engineLosses[0]!, torch.losses[0]!);
const early = Math.max(...engineLosses.slice(0, 20).map((l, i) => rel(l, torch.losses[i]!)));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const lateEngine = mean(engineLosses.slice(-50));
const lateTorch = mean(torch.losses.slice(-50));
const late = rel(lateEngine, lateTorch);
console.log(
  `copy task, LSTM ${UNITS} units, batch ${BATCH}, Adam lr ${LR}, clip 1, ` +
    `${engineLosses.length} steps on the same data and initial weights`,
);
console.log(
  `engine: ${engineTime} on ${backend.description}; PyTorch: ${torch.cpuSeconds.toFixed(0)} s CPU (1 thread)`,
);
for (const s of [1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 500].filter((s) => s <= engineLosses.length)) {
  console.log(
    `  step ${String(s).padStart(3)}: engine loss ${engineLosses[s - 1]!.toFixed(5)}, ` +
      `PyTorch ${torch.losses[s - 1]!.toFixed(5)}`,
  );
}
const checks = [
  { what: 'first loss', value: first, limit: 1e-4 },
  { what: 'steps 1-20 loss', value: early, limit: 1e-2 },
  { what: 'mean loss of the last 50 steps', value: late, limit: 0.05 },
];
// The replay starts from the engine's biases; show which initialisation they are (chrono: forget gate
// log u, u in [1, T−1], input gate its negative; otherwise forget 1, input 0).
const bias = initial['lstm/bias']!.data;
const forget = bias.slice(UNITS, 2 * UNITS);
const mirrored = forget.every((f, j) => bias[j] === -f);
console.log(
  `initial LSTM biases: forget gate in [${Math.min(...forget).toFixed(3)}, ` +
    `${Math.max(...forget).toFixed(3)}], input gate = −forget: ${mirrored}`,
);
for (const c of checks)
  console.log(
    `${c.what}: relative difference ${c.value.toExponential(2)} (limit ${c.limit}): ` +
      `${c.value <= c.limit ? 'PASS' : 'FAIL'}`,
  );
release(run.model);
process.exitCode =
  checks.every((c) => c.value <= c.limit) && engineLosses.length === torch.losses.length ? 0 : 1;

// Verify: the exported PyTorch project trains data-parallel under
// `torchrun --nproc_per_node 2` (gloo on CPU) and completes an epoch with a lower loss. Prints the figures;
// exits 1 when it fails or python3-torch is missing.
//   npx tsx scripts/verify/export-torchrun.ts [--template sentiment] [--examples 2048] [--epochs 1]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportPytorch } from '../../main/export/pytorch/index.js';
import { writeExport } from '../../main/export/write.js';
import { syntheticExamples, templateCase } from '../../test/unit/main/export/helpers.js';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const template = arg('--template', 'sentiment');
const examples = Number(arg('--examples', '2048'));
const epochs = arg('--epochs', '1');
const torchrun = process.env.TORCHRUN ?? '/usr/bin/torchrun';

if (!existsSync(torchrun)) {
  console.error(`${torchrun} not found: install python3-torch (Debian) to run this check.`);
  process.exit(1);
}
const c = templateCase(template);
const dir = mkdtempSync(path.join(tmpdir(), `rnn-torchrun-${template}-`));
await writeExport(
  exportPytorch({ project: c.project, weights: c.weights, examples: syntheticExamples(c, examples) }),
  dir,
);
console.log(`exported ${template} with ${examples} examples to ${dir}`);
const started = Date.now();
// `--redirects 1 --tee 1`: Debian's torch 1.13 on Python 3.11 crashes on the default "0" (its Std flag
// lookup skips the zero member); any non-zero value avoids that, and tee keeps rank 0's lines on stdout.
const run = spawnSync(
  torchrun,
  ['--standalone', '--redirects', '1', '--tee', '1', '--nproc_per_node', '2', 'train.py', '--epochs', epochs],
  {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  },
);
const seconds = (Date.now() - started) / 1000;
process.stdout.write(run.stdout);
if (run.status !== 0) {
  process.stderr.write(run.stderr);
  console.error(`torchrun exited with ${run.status}`);
  process.exit(1);
}
const summary = run.stdout
  .split('\n')
  .map((l) => l.replace(/^\[default\d+\]:/, ''))
  .filter((l) => l.startsWith('{'))
  .pop();
const r = summary
  ? (JSON.parse(summary) as { lossBefore: number; lossAfter: number; processes: number; seconds: number })
  : null;
if (!r) {
  console.error('train.py printed no summary line.');
  process.exit(1);
}
console.log(
  `torchrun --nproc_per_node 2 (gloo): ${r.processes} processes, ${epochs} epoch(s) ` +
    `of ${examples} examples in ${r.seconds} s training, ${seconds.toFixed(1)} s wall; ` +
    `loss ${r.lossBefore.toFixed(4)} -> ${r.lossAfter.toFixed(4)}`,
);
process.exit(r.processes === 2 && r.lossAfter < r.lossBefore ? 0 : 1);

// Verify on really trained models: for each template the engine can train, train one epoch
// with `rnn-studio train`, then check that `rnn-studio predict --json` and the exported PyTorch predict.py
// print the same text, that the exported train.py continues training with a lower loss, and that the tfjs
// export (stock @tensorflow/tfjs in a separate process) predicts what the studio predicts to 1e-5 on
// training examples. Prints the figures; exits 1 when a check fails.
// Variants are templates with options changed before training (the seq2seq and state-space options of
// seq2seq options: stacked bidirectional encoder, bridge, stacked decoder; complex diagonal, learned step).
//   npx tsx scripts/verify/export-trained.ts [--templates sentiment,tagger]
//     [--variants date-translation+stacked-bi]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { padBatch } from '../../core/data/batching.js';
import { dataFactsOf } from '../../core/project/index.js';
import { exportTfjs } from '../../main/export/tfjs/index.js';
import { planModel } from '../../main/export/plan.js';
import { writeExport } from '../../main/export/write.js';
import { loadTrainedProject } from '../../main/inference/trainedProject.js';
import { evaluatePlan } from '../../test/oracle/evaluatePlan.js';
import { readProjectFile, writeProjectFile } from '../../main/project/index.js';
import type { ProjectDoc } from '../../core/project/index.js';

const repo = new URL('../../', import.meta.url).pathname;
const at = process.argv.indexOf('--templates');
const templates =
  at >= 0
    ? process.argv[at + 1]!.split(',')
    : [
        'sentiment',
        'tagger',
        'char-lm',
        'copy-task',
        'adding-problem',
        'state-space',
        'digit-addition',
        'date-translation',
      ];
const INPUTS: Record<string, string> = {
  sentiment: 'what a wonderful , moving film',
  tagger: 'the dog sees the cat',
  'char-lm': 'The king ',
  'copy-task': 'a b c d',
  'adding-problem': '[[0.5,1],[0.25,0],[0.75,1],[0.1,0]]',
  'state-space': '[[0.5,1],[0.25,0],[0.75,1],[0.1,0]]',
  'digit-addition': '12+34',
  'date-translation': 'March 7, 2021',
};
/** Template variants: the options changed on the template's graph before it is trained. */
const VARIANTS: Record<string, { template: string; edit: (doc: ProjectDoc) => void }> = {
  // Two bidirectional LSTM layers (state 128 wide) into two 64-unit decoder layers: bridged, paired by layer.
  'date-translation+stacked-bi': {
    template: 'date-translation',
    edit: (doc) => {
      params(doc, 'encoder').layers = 2;
      params(doc, 'encoder').bidirectional = true;
      params(doc, 'decoder').layers = 2;
      // Fewer dates: one epoch is about the export, not about learning dates.
      const source = doc.dataset?.source as { params?: { count?: number } } | undefined;
      if (source?.params) source.params.count = 1000;
    },
  },
  'state-space+complex-step': {
    template: 'state-space',
    edit: (doc) => {
      params(doc, 'ssm').diagonal = 'complex';
      params(doc, 'ssm').learnStep = true;
    },
  },
};

function params(doc: ProjectDoc, id: string): Record<string, unknown> {
  const node = doc.graph.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`variant: the template has no block "${id}"`);
  return node.params as Record<string, unknown>;
}

const variantsAt = process.argv.indexOf('--variants');
const variants = variantsAt >= 0 ? process.argv[variantsAt + 1]!.split(',') : [];
for (const v of variants)
  if (!VARIANTS[v])
    throw new Error(`Unknown variant "${v}": use one of ${Object.keys(VARIANTS).join(', ')}.`);

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(repo, 'bin/rnn-studio.mjs'), ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
const dir = mkdtempSync(path.join(tmpdir(), 'rnn-verify-export-'));
let failed = 0;
await tf.setBackend('cpu');

for (const name of [...(at >= 0 || variants.length === 0 ? templates : []), ...variants]) {
  const file = path.join(dir, `${name}.rnnproj`);
  const variant = VARIANTS[name];
  cli('new', variant?.template ?? name, file);
  if (variant) {
    const project = await readProjectFile(file);
    variant.edit(project.doc);
    await writeProjectFile(file, project);
  }
  const trained = cli('train', file, '--epochs', '1');
  if (trained.status !== 0) {
    console.log(
      `${name}: not trainable here (${(trained.stderr || trained.stdout).trim().split('\n').pop()}); skipped`,
    );
    continue;
  }
  const input = INPUTS[variant?.template ?? name]!;
  const studio = cli('predict', file, '--input', input, '--json');
  const pt = path.join(dir, `${name}-pytorch`);
  cli('export', file, '--format', 'pytorch', '--out', pt);
  const python = spawnSync('/usr/bin/python3', ['predict.py', '--input', input, '--json'], {
    cwd: pt,
    encoding: 'utf8',
  });
  const same = studio.status === 0 && python.status === 0 && python.stdout === studio.stdout;
  const train = spawnSync('/usr/bin/python3', ['train.py', '--epochs', '1'], { cwd: pt, encoding: 'utf8' });
  const summary = JSON.parse(train.stdout.trim().split('\n').pop() ?? '{}') as {
    lossBefore?: number;
    lossAfter?: number;
  };
  const lowered =
    summary.lossAfter !== undefined &&
    summary.lossBefore !== undefined &&
    summary.lossAfter < summary.lossBefore;

  // tfjs: the first 8 training examples through the studio evaluator and through stock tfjs.
  const project = await readProjectFile(file);
  const t = await loadTrainedProject(
    project.doc,
    {
      readEntry: (n) => project.entries.get(n),
      listEntries: (p) => [...project.entries.keys()].filter((k) => k.startsWith(p)),
      path: file,
    },
    { examples: true },
  );
  const plan = planModel(t.doc.graph, dataFactsOf(t.doc));
  const batch = padBatch(t.doc.task, t.examples.slice(0, 8));
  const js = path.join(dir, `${name}-tfjs`);
  await writeExport(exportTfjs({ project: t.doc, weights: t.weights! }), js);
  symlinkSync(path.join(repo, 'node_modules'), path.join(js, 'node_modules'), 'dir');
  const role: Record<string, 'tokens' | 'features' | 'source' | 'targetIn'> = {
    tokens: 'tokens',
    features: 'features',
    source: 'source',
    target: 'targetIn',
  };
  const feeds = plan.nodes
    .filter((n) => n.kind === 'input')
    .map((n) => {
      const b = batch[role[String(n.params.role)]!]!;
      return [b.dtype, tf.tensor(b.data, b.shape).arraySync()];
    });
  writeFileSync(path.join(js, 'probe.json'), JSON.stringify({ feeds }));
  const probe = JSON.parse(
    execFileSync(process.execPath, [path.join(repo, 'scripts/reference/export_tfjs_probe.mjs'), js], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    }),
  )[js];
  const head = plan.heads[0]!.id;
  const ours = tf.tidy(() => Array.from(evaluatePlan(plan, t.weights!, batch).outputs[head]!.dataSync()));
  const mask = (batch.mask ?? batch.targetMask)?.data;
  const theirs = probe[head].data as number[];
  const perRow = ours.length / (mask ? mask.length : 1);
  let worst = 0;
  ours.forEach((v, i) => {
    if (!mask || probe[head].shape.length < 3 || mask[Math.floor(i / perRow)])
      worst = Math.max(worst, Math.abs(v - theirs[i]!));
  });
  const ok = same && lowered && worst < 1e-5;
  if (!ok) failed++;
  console.log(
    `${name}: predict.py ${same ? 'prints the same JSON' : 'DIFFERS'}; ` +
      `train.py loss ${summary.lossBefore?.toFixed(4)} -> ${summary.lossAfter?.toFixed(4)}; ` +
      `tfjs max |diff| ${worst.toExponential(2)} on ${t.examples.slice(0, 8).length} ` +
      `examples${ok ? '' : '  << FAILED'}`,
  );
  if (!same)
    console.log(
      `  studio: ${studio.stdout.slice(0, 300)}${studio.stderr}\n  python: ` +
        `${python.stdout.slice(0, 300)}${python.stderr.slice(-500)}`,
    );
}
process.exit(failed === 0 ? 0 : 1);

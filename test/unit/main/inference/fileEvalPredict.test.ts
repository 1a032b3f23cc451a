// A test file and a file of inputs against a trained project: `eval --data` on the validation rows gives
// exactly what `eval` gives on the validation split; `predict --file` on 1,000 rows gives exactly what
// 1,000 single predictions through predict --input's function give; the confusion matrix adds up.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExamples } from '../../../../core/data/generators/index.js';
import { splitExamples } from '../../../../core/data/split.js';
import { cli } from '../cli/cliRun.js';
import { ensureBackend } from '../../../../main/inference/backend.js';
import { predictorOf } from '../../../../main/inference/service.js';
import { loadTrainedProject } from '../../../../main/inference/trainedProject.js';
import { readProjectFile } from '../../../../main/project/index.js';
import { trainedSentiment } from './trainedSentiment.js';

const dir = mkdtempSync(join(tmpdir(), 'rnn-file-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

describe('eval --data and predict --file', () => {
  let project: string;
  beforeAll(async () => {
    project = await trainedSentiment(join(dir, 'sentiment.rnnproj'));
  }, 120_000);

  it(
    'eval --data on the validation rows equals eval on the validation split, ' +
      'confusion and per-class scores included',
    async () => {
      const { doc } = await readProjectFile(project);
      const spec = doc.dataset!;
      if (spec.source.kind !== 'generator') throw new Error('the sentiment template generates its data');
      // The validation rows exactly as the dataset's seeded, stratified split picks them, in its order.
      const { validation } = splitExamples(generateExamples(spec.source), spec.split, (e) => e.label ?? '');
      expect(validation.length).toBeGreaterThan(20);
      const csv = join(dir, 'validation.csv');
      writeFileSync(
        csv,
        'text,label\n' + validation.map((e) => `${csvCell(e.text!)},${csvCell(e.label!)}`).join('\n') + '\n',
      );

      const common = ['--json', '--backend', 'cpu', '--data-dir', join(dir, 'dd')];
      const split = await cli('eval', project, ...common);
      expect(split.code, split.err).toBe(0);
      const onFile = await cli('eval', project, '--data', csv, ...common);
      expect(onFile.code, onFile.err).toBe(0);
      const a = JSON.parse(split.out) as Record<string, unknown>;
      const b = JSON.parse(onFile.out) as Record<string, unknown>;
      expect(a.split).toBe('validation');
      expect(b.split).toBe('file');
      expect(b.examples).toBe(validation.length);
      const { split: _a, ...restA } = a;
      const { split: _b, ...restB } = b;
      expect(restB).toEqual(restA); // loss, accuracy, confusion matrix, per-class scores: identical

      const confusion = b.confusion_matrix as { labels: string[]; matrix: number[][] };
      expect(confusion.labels).toEqual(spec.labels ?? ['negative', 'positive']);
      expect(confusion.matrix.flat().reduce((s, n) => s + n, 0)).toBe(validation.length);
      const correct = confusion.matrix.reduce((s, row, i) => s + row[i]!, 0);
      expect(correct / validation.length).toBeCloseTo(b.accuracy as number, 6);
      const perClass = b.per_class as {
        label: string;
        precision: number | null;
        recall: number | null;
        support: number;
      }[];
      perClass.forEach((c, k) => {
        expect(c.support).toBe(confusion.matrix[k]!.reduce((s, n) => s + n, 0));
        const predicted = confusion.matrix.reduce((s, row) => s + row[k]!, 0);
        expect(c.precision).toBe(predicted > 0 ? confusion.matrix[k]![k]! / predicted : null);
      });
    },
    120_000,
  );

  it(
    'predict --file on 1,000 rows equals 1,000 single ' + 'predictions exactly (JSONL), and writes CSV',
    async () => {
      const { doc } = await readProjectFile(project);
      if (doc.dataset!.source.kind !== 'generator')
        throw new Error('the sentiment template generates its data');
      const texts = generateExamples(doc.dataset!.source).map((e) => e.text!);
      const inputs = Array.from(
        { length: 1000 },
        (_, i) => texts[i % texts.length]! + (i >= texts.length ? ` ${i}` : ''),
      );
      const file = join(dir, 'inputs.csv');
      writeFileSync(file, 'id,text\n' + inputs.map((t, i) => `${i},${csvCell(t)}`).join('\n') + '\n');
      const out = join(dir, 'predictions.jsonl');
      const r = await cli('predict', project, '--file', file, '--out', out);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain(`Predicted 1000 rows of ${file} (column "text") into ${out}`);
      expect(r.err).toContain('Predicting… 100% (1000/1000 rows)');
      const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(1000);

      // The single predictions, in this process, through the function `predict --input` calls.
      await ensureBackend();
      const files = (await import('../../../../main/cli/commands/projectFiles.js')).openProjectFiles;
      const opened = await files(project);
      const predictor = predictorOf(await loadTrainedProject(opened.doc, opened.files));
      for (const [i, line] of lines.entries()) {
        const single = await predictor.predict(inputs[i]!, { beamWidth: 1 });
        expect(JSON.parse(line)).toEqual({ line: i + 2, ...single });
      }
      // And the command itself, `predict --input TEXT --json` (each call opens the project afresh), on every
      // 40th row: the same JSON as that row's line.
      const started = performance.now();
      for (let i = 0; i < 1000; i += 40) {
        const single = await cli('predict', project, '--input', inputs[i]!, '--json');
        expect(single.code, single.err).toBe(0);
        expect({ line: i + 2, ...(JSON.parse(single.out) as object) }).toEqual(JSON.parse(lines[i]!));
      }
      console.log(`25 predict --input calls: ${((performance.now() - started) / 25).toFixed(0)} ms each`);

      const csvOut = join(dir, 'predictions.csv');
      expect((await cli('predict', project, '--file', file, '--out', csvOut)).code).toBe(0);
      const rows = readFileSync(csvOut, 'utf8').trimEnd().split('\n');
      expect(rows[0]).toBe('line,input,prediction,probability');
      const first = await predictor.predict(inputs[0]!, { beamWidth: 1 });
      if (first.task !== 'classification') throw new Error('a classifier');
      expect(rows[1]).toBe(`2,${csvCell(inputs[0]!)},${first.label},${first.probabilities[0]!.probability}`);
      expect(rows).toHaveLength(1001);
    },
    180_000,
  );

  it('refuses --file without --out, and a file without the column asked for', async () => {
    const r = await cli('predict', project, '--file', join(dir, 'inputs.csv'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('--file needs --out');
    const bad = await cli(
      'predict',
      project,
      '--file',
      join(dir, 'inputs.csv'),
      '--column',
      'review',
      '--out',
      join(dir, 'x.jsonl'),
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('There is no column "review" in inputs.csv. The columns are: "id", "text".');
  });
});

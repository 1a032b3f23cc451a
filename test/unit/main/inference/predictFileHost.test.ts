// "Predict a file…" as the studio calls it: `data.predictFile` over HTTP against a real studio host (as
// `rnn-studio serve` builds it), on a trained project opened from the workspace. Every row's prediction
// equals the single prediction `predict --input` makes, in JSONL and CSV, and equals what
// `rnn-studio predict --file` writes; rows that cannot be read are counted, not predicted; a file without
// the column, a project without a trained run and a path outside the workspace are refused, saying why.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/program.js';
import { openProjectFiles } from '../../../../main/cli/commands/projectFiles.js';
import { startStudioHost } from '../../../../main/host/studioHost.js';
import { ensureBackend } from '../../../../main/inference/backend.js';
import { predictorOf } from '../../../../main/inference/service.js';
import { loadTrainedProject } from '../../../../main/inference/trainedProject.js';
import { trainedSentiment } from './trainedSentiment.js';
import { callHost } from '../host/bareHost.js';

const token = 'd'.repeat(48);
const port = 52141; // this suite's own port; the host binds 127.0.0.1
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

let root: string;
let ws: string;
let studio: Awaited<ReturnType<typeof startStudioHost>>;
let projectId: string;

interface Answer {
  status: number;
  ok: boolean;
  result?: { fileName: string; text: string; rows: number; column: string; skipped: number };
  error?: { code: string; message: string; where?: string };
}

async function call(name: string, payload: unknown): Promise<Answer> {
  const { status, answer } = await callHost(port, token, name, payload);
  return { status, ...(answer as Omit<Answer, 'status'>) };
}

const upload = (fileName: string, text: string) => ({
  fileName,
  dataBase64: Buffer.from(text).toString('base64'),
});

const inputs = [
  'a wonderful, moving film',
  'dull and far too long',
  'the acting was "fine", I suppose',
  'not good at all',
  'one of the best this year',
];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rnn-predict-host-'));
  ws = join(root, 'workspace');
  mkdirSync(ws);
  await trainedSentiment(join(ws, 'sentiment.rnnproj'));
  studio = await startStudioHost({ port, token, dataDir: join(root, 'data'), workspace: ws });
  const opened = await call('project.open', { path: join(ws, 'sentiment.rnnproj') });
  expect(opened.ok, JSON.stringify(opened.error)).toBe(true);
  projectId = (opened.result as unknown as { projectId: string }).projectId;
}, 120_000);

afterAll(async () => {
  await studio?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('data.predictFile through the studio host', () => {
  it(
    'predicts every row of an upload as predict --input does, ' +
      'in JSONL and CSV, and as predict --file writes',
    async () => {
      // A short row the tokenizer still reads, and a ragged row (three fields) that cannot be read.
      const csv =
        'id,text\n' +
        inputs.map((t, i) => `${i},${csvCell(t)}`).join('\n') +
        '\n5,ok\n6,too,many fields\n7,last one\n';
      const texts = [...inputs, 'ok', 'last one'];
      const jsonl = await call('data.predictFile', {
        projectId,
        source: upload('reviews.csv', csv),
        format: 'jsonl',
      });
      expect(jsonl.ok, JSON.stringify(jsonl.error)).toBe(true);
      expect(jsonl.result).toMatchObject({
        fileName: 'reviews.predictions.jsonl',
        rows: texts.length,
        column: 'text',
        skipped: 1,
      });
      const lines = jsonl.result!.text.trimEnd().split('\n');
      expect(lines).toHaveLength(texts.length);

      // The single predictions, through the function `predict --input` calls, on the same project.
      await ensureBackend();
      const opened = await openProjectFiles(join(ws, 'sentiment.rnnproj'));
      const predictor = predictorOf(await loadTrainedProject(opened.doc, opened.files));
      const fileLines = [2, 3, 4, 5, 6, 7, 9];
      for (const [i, line] of lines.entries()) {
        expect(JSON.parse(line)).toEqual({
          line: fileLines[i],
          ...(await predictor.predict(texts[i]!, { beamWidth: 1 })),
        });
      }
      // Not the same answer for every row: the rows really were predicted one by one.
      expect(
        new Set(lines.map((l) => JSON.stringify((JSON.parse(l) as { probabilities: unknown }).probabilities)))
          .size,
      ).toBe(texts.length);

      // The CLI's `predict --file` writes the same text for the same file.
      writeFileSync(join(root, 'reviews.csv'), csv);
      const out = join(root, 'cli.predictions.jsonl');
      let err = '';
      const code = await runCli(
        ['predict', join(ws, 'sentiment.rnnproj'), '--file', join(root, 'reviews.csv'), '--out', out],
        {
          out: () => {},
          err: (t) => (err += t),
          isTTY: false,
        },
      );
      expect(code, err).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(jsonl.result!.text);

      const csvAnswer = await call('data.predictFile', {
        projectId,
        source: upload('reviews.csv', csv),
        format: 'csv',
      });
      expect(csvAnswer.ok, JSON.stringify(csvAnswer.error)).toBe(true);
      expect(csvAnswer.result!.fileName).toBe('reviews.predictions.csv');
      const rows = csvAnswer.result!.text.trimEnd().split('\n');
      expect(rows[0]).toBe('line,input,prediction,probability');
      expect(rows).toHaveLength(texts.length + 1);
      const third = await predictor.predict(texts[2]!, { beamWidth: 1 });
      if (third.task !== 'classification') throw new Error('a classifier');
      expect(rows[3]).toBe(`4,${csvCell(texts[2]!)},${third.label},${third.probabilities[0]!.probability}`);
    },
    120_000,
  );

  it(
    'reads the column the user names, ' + 'and refuses a file without it, naming the columns it has',
    async () => {
      const csv = 'review,score\n' + inputs.map((t) => `${csvCell(t)},1`).join('\n') + '\n';
      const named = await call('data.predictFile', {
        projectId,
        source: upload('other.csv', csv),
        format: 'jsonl',
        column: 'review',
      });
      expect(named.ok, JSON.stringify(named.error)).toBe(true);
      expect(named.result).toMatchObject({ rows: inputs.length, column: 'review', skipped: 0 });

      const missing = await call('data.predictFile', {
        projectId,
        source: upload('other.csv', csv),
        format: 'jsonl',
        column: 'comment',
      });
      expect(missing.ok).toBe(false);
      expect(missing.status).toBe(400);
      expect(missing.error?.code).toBe('invalid-input');
      expect(missing.error?.message).toContain('There is no column "comment" in other.csv');
      expect(missing.error?.message).toContain('"review", "score"');
    },
  );

  it('refuses a project that has not been trained, and a path outside the workspace', async () => {
    const fresh = await call('project.create', { templateId: 'sentiment' });
    expect(fresh.ok).toBe(true);
    const untrained = await call('data.predictFile', {
      projectId: (fresh.result as unknown as { projectId: string }).projectId,
      source: upload('reviews.csv', 'text\ngood\n'),
      format: 'jsonl',
    });
    expect(untrained.ok).toBe(false);
    // In the studio's words: its own Train button, not a command line.
    expect(untrained.error?.message).toBe(
      'The project has no trained weights yet: train it first (Train in the toolbar).',
    );

    writeFileSync(join(root, 'outside.csv'), 'text\nthe outside secret\n');
    const outside = await call('data.predictFile', {
      projectId,
      source: { path: join(root, 'outside.csv') },
      format: 'jsonl',
    });
    expect(outside.ok).toBe(false);
    expect(outside.error?.code).toBe('forbidden');
    expect(outside.error?.message).toMatch(/outside the workspace/);
    expect(JSON.stringify(outside)).not.toContain('outside secret');
  });

  it(
    'releases the model it made for the file: ' + 'tensors held by the host stay flat over repeated calls',
    async () => {
      const predictOnce = async () => {
        const answer = await call('data.predictFile', {
          projectId,
          source: upload('again.csv', 'text\n' + inputs.map(csvCell).join('\n') + '\n'),
          format: 'jsonl',
        });
        expect(answer.ok, JSON.stringify(answer.error)).toBe(true);
        expect(answer.result?.rows).toBe(inputs.length);
      };
      await predictOnce(); // the backend's own first-use tensors
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) await predictOnce();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});

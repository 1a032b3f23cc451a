// End to end: a template project given (seeded random) trained weights in a checkpoint, then
// `rnn-studio predict --json` and the exported PyTorch predict.py print the same text; generate samples
// reproducibly; an untrained project gets a clear "train first" (exit 1).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/cliRun.js';
import { hasTorch, PYTHON } from '../export/torch.js';
import { trainedTemplate } from './trainedSentiment.js';

const INPUTS: Record<string, string> = {
  sentiment: 'a wonderful film, truly great',
  tagger: 'the cat sees a dog',
  'char-lm': 'To be or not',
  'date-translation': 'March 7, 2021',
};

describe('rnn-studio predict / generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-predict-'));
  const files: Record<string, string> = {};
  beforeAll(async () => {
    for (const name of Object.keys(INPUTS))
      files[name] = await trainedTemplate(join(dir, `${name}.rnnproj`), name, {
        seed: 11,
        ...(name === 'date-translation' ? { maxLength: 12 } : {}),
      });
  }, 120_000);

  it('classifies with per-token attention weights', async () => {
    const r = await cli('predict', files.sentiment!, '--input', INPUTS.sentiment!, '--json');
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as {
      task: string;
      label: string;
      probabilities: { label: string; probability: number }[];
      tokens: { token: string; weight: number }[];
    };
    expect(result.task).toBe('classification');
    expect(result.label).toBe(result.probabilities[0]!.label);
    expect(result.probabilities.reduce((s, p) => s + p.probability, 0)).toBeCloseTo(1, 3);
    // Words outside the vocabulary show as <unk>, as the word tokenizer maps them.
    expect(result.tokens.map((t) => t.token).slice(1)).toEqual(['wonderful', 'film', ',', 'truly', 'great']);
    expect(result.tokens.reduce((s, t) => s + t.weight, 0)).toBeCloseTo(1, 3);
  });

  it('translates with an attention row per output token, greedy equal to a beam of 1', async () => {
    const greedy = await cli(
      'predict',
      files['date-translation']!,
      '--input',
      INPUTS['date-translation']!,
      '--json',
    );
    expect(greedy.code, greedy.err).toBe(0);
    const result = JSON.parse(greedy.out) as { tokens: unknown[]; source: string[]; attention: number[][] };
    expect(result.attention).toHaveLength(result.tokens.length);
    for (const row of result.attention) expect(row).toHaveLength(result.source.length);
    const beam = await cli(
      'predict',
      files['date-translation']!,
      '--input',
      INPUTS['date-translation']!,
      '--json',
      '--beam',
      '1',
    );
    expect(beam.out).toBe(greedy.out);
    expect((await cli('predict', files['date-translation']!, '--input', 'x', '--beam', '3')).code).toBe(0);
  });

  it('generates reproducibly with a random seed, each token with its probability', async () => {
    const args = [
      'generate',
      files['char-lm']!,
      '--seed',
      'The ',
      '--length',
      '12',
      '--temperature',
      '0.8',
      '--top-k',
      '5',
      '--random-seed',
      '3',
      '--json',
    ];
    const a = await cli(...args);
    expect(a.code, a.err).toBe(0);
    const result = JSON.parse(a.out) as { text: string; tokens: { token: string; probability: number }[] };
    expect(result.tokens.length).toBeGreaterThan(0);
    expect(result.tokens.length).toBeLessThanOrEqual(12);
    expect(result.tokens.every((t) => t.probability > 0 && t.probability <= 1)).toBe(true);
    expect((await cli(...args)).out).toBe(a.out);
  });

  it('refuses a project with no trained weights, and bad options, with exit 1', async () => {
    const fresh = join(dir, 'fresh.rnnproj');
    expect((await cli('new', 'sentiment', fresh)).code).toBe(0);
    const r = await cli('predict', fresh, '--input', 'hello');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'The project has no trained weights yet: train it first: rnn-studio train <file>.',
    );
    expect((await cli('generate', files['char-lm']!, '--seed', 'a', '--temperature', '0')).code).toBe(1);
    expect((await cli('generate', files.sentiment!, '--seed', 'a')).err).toMatch(/language model/);
    expect((await cli('export', fresh, '--format', 'tfjs', '--out', join(dir, 'x'))).err).toMatch(
      /train it first/,
    );
    expect((await cli('predict', join(dir, 'missing.rnnproj'), '--input', 'a')).code).toBe(2);
  });

  describe.runIf(hasTorch)('the exported predict.py prints the same JSON', () => {
    for (const name of Object.keys(INPUTS)) {
      it(
        name,
        async () => {
          const studio = await cli('predict', files[name]!, '--input', INPUTS[name]!, '--json');
          expect(studio.code, studio.err).toBe(0);
          const out = join(dir, `${name}-pytorch`);
          expect((await cli('export', files[name]!, '--format', 'pytorch', '--out', out)).code).toBe(0);
          const python = execFileSync(PYTHON, ['predict.py', '--input', INPUTS[name]!, '--json'], {
            cwd: out,
            encoding: 'utf8',
          });
          expect(python).toBe(studio.out);
        },
        60_000,
      );
    }
  });
});

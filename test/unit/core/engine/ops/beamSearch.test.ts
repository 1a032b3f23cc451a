// Beam search and greedy decoding on hand-made models whose next-token distribution depends on the whole
// prefix (so greedy choices can be wrong), checked against exhaustive search over every output.
import { describe, expect, it } from 'vitest';
import { beamSearch, normalisedScore } from '../../../../../core/engine/decode/beamSearch.js';
import { greedyDecode } from '../../../../../core/engine/decode/greedy.js';
import type { DecoderSteps, StepResult } from '../../../../../core/engine/decode/types.js';

/** State = each row's prefix. Log-probabilities from a seeded hash of the prefix, log-softmaxed. */
function prefixModel(seed: number, vocabularySize: number): DecoderSteps<number[][]> {
  const logits = (prefix: number[]) => {
    let h = seed * 2654435761;
    for (const t of prefix) h = Math.imul(h ^ (t + 7), 2246822519) >>> 0;
    return Array.from({ length: vocabularySize }, (_, j) => {
      const x = Math.sin(h * 0.001 + j * 12.9898 + seed) * 43758.5453;
      return 3 * (x - Math.floor(x)); // in [0,3): spread enough that greedy is often wrong
    });
  };
  return {
    vocabularySize,
    step(prev, state) {
      const next = state.map((p, r) => [...p, prev[r]!]);
      const logProbs = new Float32Array(prev.length * vocabularySize);
      next.forEach((p, r) => {
        const l = logits(p);
        const z = Math.log(l.reduce((s, v) => s + Math.exp(v), 0));
        l.forEach((v, j) => (logProbs[r * vocabularySize + j] = v - z));
      });
      return { logProbs, state: next };
    },
    select: (state, rows) => Array.from(rows, (r) => state[r]!),
  };
}

/** Every output of up to maxLength tokens (stopping at `end`), scored like the beam does. */
function exhaustive(
  model: DecoderSteps<number[][]>,
  start: number,
  end: number | null,
  maxLength: number,
  alpha: number,
) {
  const all: { tokens: number[]; logProb: number; score: number }[] = [];
  const walk = (tokens: number[], logProb: number, state: number[][]) => {
    const prev = tokens.length ? tokens[tokens.length - 1]! : start;
    const { logProbs, state: next } = model.step(Int32Array.of(prev), state) as StepResult<number[][]>;
    for (let j = 0; j < model.vocabularySize; j++) {
      const t = [...tokens, j];
      const lp = logProb + logProbs[j]!;
      if (j === end || t.length === maxLength)
        all.push({ tokens: t, logProb: lp, score: normalisedScore(lp, t.length, alpha) });
      else walk(t, lp, next);
    }
  };
  walk([], 0, [[]]);
  return all.sort((a, b) => b.score - a.score);
}

const seeds = Array.from({ length: 20 }, (_, i) => i + 1);

describe('beam search', async () => {
  it('width 1 equals greedy decoding exactly (tokens and log-probability)', async () => {
    for (const seed of seeds) {
      const model = prefixModel(seed, 6);
      const options = { start: 0, end: 5, maxLength: 8 };
      const [greedy] = await greedyDecode(model, [[]], 1, options);
      const [beam] = await beamSearch(model, [[]], { ...options, width: 1 });
      expect(beam!.tokens).toEqual(greedy!.tokens);
      expect(beam!.logProb).toBe(greedy!.logProb);
    }
  });

  it(
    'vocabulary 4, length 3: a beam of 64 returns exactly ' +
      'the exhaustive best, which greedy sometimes misses',
    async () => {
      let greedyMissed = 0;
      for (const seed of seeds) {
        const model = prefixModel(seed, 4);
        const best = exhaustive(model, 0, null, 3, 0)[0]!;
        const [beam] = await beamSearch(model, [[]], { start: 0, end: null, maxLength: 3, width: 64 });
        expect(beam!.tokens).toEqual(best.tokens);
        expect(beam!.logProb).toBeCloseTo(best.logProb, 12);
        const [greedy] = await greedyDecode(model, [[]], 1, { start: 0, end: null, maxLength: 3 });
        if (greedy!.logProb < best.logProb - 1e-9) greedyMissed++;
      }
      expect(greedyMissed).toBeGreaterThan(0); // the models are hard enough for the test to mean something
    },
  );

  it('with an end symbol and length normalisation, a full-width beam equals exhaustive search', async () => {
    for (const seed of seeds) {
      for (const alpha of [0, 0.7, 1]) {
        const model = prefixModel(seed, 4);
        const expected = exhaustive(model, 0, 3, 3, alpha);
        const got = await beamSearch(model, [[]], {
          start: 0,
          end: 3,
          maxLength: 3,
          width: 64,
          lengthPenalty: alpha,
          keep: 5,
        });
        expect(got.map((h) => h.tokens)).toEqual(expected.slice(0, 5).map((h) => h.tokens));
      }
    }
  });

  it('stops at the end symbol and keeps it in the output', async () => {
    // end (id 2) is always the most likely token
    const model: DecoderSteps<null> = {
      vocabularySize: 3,
      step: (prev) => ({
        logProbs: Float32Array.from({ length: prev.length * 3 }, (_, i) => Math.log([0.2, 0.1, 0.7][i % 3]!)),
        state: null,
      }),
      select: () => null,
    };
    const [h] = await beamSearch(model, null, { start: 0, end: 2, maxLength: 10, width: 2 });
    expect(h!.tokens).toEqual([2]);
    expect(
      (await greedyDecode(model, null, 2, { start: 0, end: 2, maxLength: 10 })).map((g) => g.tokens),
    ).toEqual([[2], [2]]);
  });

  it('refuses a width that is not a positive whole number', async () => {
    await expect(
      beamSearch(prefixModel(1, 4), [[]], { start: 0, end: null, maxLength: 3, width: 0 }),
    ).rejects.toThrow(/beam width/);
  });
});

// Beam search for one source: keep the `width` most likely partial outputs, extend each by every token,
// keep the best `width` again. A hypothesis that produces the end token is finished and leaves the beam;
// the search stops when none is alive or at maxLength. Finished outputs are ranked by
// logProb / length^lengthPenalty (0 = raw probability, which favours short outputs; ~0.6-1 evens that).
// Ties break towards the earlier beam and the lower token id, so width 1 is exactly greedy decoding, and a
// beam as wide as the number of possible prefixes is an exhaustive search.
import type { DecodeOptions, DecoderSteps, Hypothesis } from './types.js';

export interface BeamOptions extends DecodeOptions {
  width: number;
  /** Exponent α of the length normalisation. Default 0. */
  lengthPenalty?: number;
  /** How many hypotheses to return, best first. Default: width. */
  keep?: number;
}

export function normalisedScore(logProb: number, length: number, alpha: number): number {
  return alpha === 0 ? logProb : logProb / Math.pow(Math.max(length, 1), alpha);
}

/** `initialState` holds one row: the encoded source. */
export async function beamSearch<S>(
  decoder: DecoderSteps<S>,
  initialState: S,
  options: BeamOptions,
): Promise<Hypothesis[]> {
  if (!Number.isInteger(options.width) || options.width < 1)
    throw new Error(`beam width must be a whole number >= 1, got ${options.width}`);
  const v = decoder.vocabularySize;
  const alpha = options.lengthPenalty ?? 0;
  const finished: Hypothesis[] = [];
  let alive: { tokens: number[]; logProb: number }[] = [{ tokens: [], logProb: 0 }];
  let prev = Int32Array.of(options.start);
  let state = initialState;
  for (let t = 0; t < options.maxLength && alive.length > 0; t++) {
    const { logProbs, state: stepped } = await decoder.step(prev, state);
    if (state !== initialState) decoder.release?.(state);
    // Every extension of every alive hypothesis, best first; a stable sort keeps (beam, token) order on ties.
    const candidates: { parent: number; token: number; logProb: number }[] = [];
    alive.forEach((h, i) => {
      for (let j = 0; j < v; j++)
        candidates.push({ parent: i, token: j, logProb: h.logProb + logProbs[i * v + j]! });
    });
    candidates.sort((a, b) => b.logProb - a.logProb);
    const next: typeof alive = [];
    const parents: number[] = [];
    for (const c of candidates.slice(0, options.width)) {
      const tokens = [...alive[c.parent]!.tokens, c.token];
      if (c.token === options.end) {
        finished.push({
          tokens,
          logProb: c.logProb,
          score: normalisedScore(c.logProb, tokens.length, alpha),
        });
      } else {
        next.push({ tokens, logProb: c.logProb });
        parents.push(c.parent);
      }
    }
    alive = next;
    state = alive.length > 0 ? decoder.select(stepped, Int32Array.from(parents)) : stepped;
    if (state !== stepped) decoder.release?.(stepped);
    prev = Int32Array.from(alive.map((h) => h.tokens[h.tokens.length - 1]!));
  }
  if (state !== initialState) decoder.release?.(state);
  // Outputs cut off by maxLength compete too (with no end token they are all of full length).
  for (const h of alive) finished.push({ ...h, score: normalisedScore(h.logProb, h.tokens.length, alpha) });
  finished.sort((a, b) => b.score - a.score);
  return finished.slice(0, options.keep ?? options.width);
}

// Greedy decoding: at every step take the most likely token (the lowest id on a tie, as beam search does,
// so a beam of width 1 gives exactly this). Rows decode side by side; a row stops at its end token.
import type { DecodeOptions, DecoderSteps, Hypothesis } from './types.js';

/** Index of the largest of `v[offset .. offset+n)`, first on ties. */
export function argmax(v: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (v[offset + j]! > v[offset + best]!) best = j;
  return best;
}

export async function greedyDecode<S>(
  decoder: DecoderSteps<S>,
  initialState: S,
  rows: number,
  options: DecodeOptions,
): Promise<Hypothesis[]> {
  const v = decoder.vocabularySize;
  const out: Hypothesis[] = Array.from({ length: rows }, () => ({ tokens: [], logProb: 0, score: 0 }));
  const done = new Array<boolean>(rows).fill(false);
  let prev = new Int32Array(rows).fill(options.start);
  let state = initialState;
  for (let t = 0; t < options.maxLength && done.includes(false); t++) {
    const { logProbs, state: next } = await decoder.step(prev, state);
    if (state !== initialState) decoder.release?.(state);
    state = next;
    prev = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const token = argmax(logProbs, r * v, v);
      prev[r] = token;
      if (done[r]) continue;
      const h = out[r]!;
      h.tokens.push(token);
      h.logProb += logProbs[r * v + token]!;
      if (token === options.end) done[r] = true;
    }
  }
  if (state !== initialState) decoder.release?.(state);
  for (const h of out) h.score = h.logProb;
  return out;
}

// Learns byte-pair merges from text (Sennrich et al. 2016, on UTF-8 bytes as in GPT-2): start from the 256
// bytes, repeatedly merge the most frequent adjacent pair inside pre-tokenized chunks. Pair counts are
// updated incrementally (only words containing the merged pair are revisited) and the best pair comes from
// a lazy max-heap, so training a few thousand merges on a few MB takes seconds, not minutes.
// Ties break on the pair's ids, so the same text always gives the same merges.
import { pretokenize } from './pretokenize.js';
import { encodeUtf8 } from './utf8.js';
import { RESERVED_TOKENS } from './vocabulary.js';

/** A token as stored: its bytes as a latin-1 string (one char per byte), so any byte sequence is a key. */
export function bytesToKey(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

const SHIFT = 2 ** 21; // symbol ids stay far below this, so a pair packs into one safe integer
const pairKey = (a: number, b: number) => a * SHIFT + b;

class MaxHeap {
  private items: [number, number][] = []; // [count, pair]
  push(item: [number, number]) {
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): [number, number] | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
  private before(a: [number, number], b: [number, number]) {
    return a[0] > b[0] || (a[0] === b[0] && a[1] < b[1]);
  }
}

/**
 * Learns up to `maxMerges` merges; stops early when the best pair occurs fewer than `minFrequency` times
 * (at least 2). Returns merges as pairs of byte-keys, in the order they must be applied.
 */
export function trainBpe(
  texts: Iterable<string>,
  options: { maxMerges: number; minFrequency?: number; lowercase?: boolean },
): [string, string][] {
  const chunkCounts = new Map<string, number>();
  for (const t of texts) {
    for (const c of pretokenize(options.lowercase ? t.toLowerCase() : t))
      chunkCounts.set(c, (chunkCounts.get(c) ?? 0) + 1);
  }
  const keys: string[] = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b));
  const words: number[][] = [];
  const freq: number[] = [];
  for (const [chunk, n] of chunkCounts) {
    words.push(encodeUtf8(chunk));
    freq.push(n);
  }
  const counts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const add = (w: number, sign: 1 | -1, touched: Set<number>) => {
    const word = words[w]!;
    for (let i = 0; i + 1 < word.length; i++) {
      const k = pairKey(word[i]!, word[i + 1]!);
      counts.set(k, (counts.get(k) ?? 0) + sign * freq[w]!);
      touched.add(k);
      if (sign > 0) {
        let s = where.get(k);
        if (!s) where.set(k, (s = new Set()));
        s.add(w);
      }
    }
  };
  const heap = new MaxHeap();
  const initial = new Set<number>();
  for (let w = 0; w < words.length; w++) add(w, 1, initial);
  for (const k of initial) heap.push([counts.get(k)!, k]);

  const reserved = new Set<string>(RESERVED_TOKENS);
  const known = new Set(keys);
  const merges: [string, string][] = [];
  const floor = Math.max(2, options.minFrequency ?? 2);
  while (merges.length < options.maxMerges) {
    const top = heap.pop();
    if (!top) break;
    const [count, k] = top;
    if (counts.get(k) !== count) continue; // stale entry
    if (count < floor) break;
    const a = Math.floor(k / SHIFT);
    const b = k % SHIFT;
    const key = keys[a]! + keys[b]!;
    if (reserved.has(key) || known.has(key)) {
      counts.set(k, 0); // would collide with a reserved symbol or an existing token: never merge it
      continue;
    }
    const id = keys.length;
    keys.push(key);
    known.add(key);
    merges.push([keys[a]!, keys[b]!]);
    const touched = new Set<number>();
    for (const w of where.get(k) ?? []) {
      const word = words[w]!;
      add(w, -1, touched);
      const next: number[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === a && word[i + 1] === b) {
          next.push(id);
          i++;
        } else next.push(word[i]!);
      }
      words[w] = next;
      add(w, 1, touched);
    }
    where.delete(k);
    for (const t of touched) {
      const c = counts.get(t)!;
      if (c > 0) heap.push([c, t]);
      else counts.delete(t);
    }
  }
  return merges;
}

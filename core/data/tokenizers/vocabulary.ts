// The token list a dataset saves with the project: id = index. Ids 0-3 are reserved in every vocabulary
// so the engine can rely on them (padding id 0 is masked out; 2 and 3 frame seq2seq targets).

export const PAD = 0;
export const UNK = 1;
export const BOS = 2;
export const EOS = 3;
export const RESERVED_TOKENS = ['<pad>', '<unk>', '<s>', '</s>'] as const;

export class Vocabulary {
  readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(tokens: readonly string[]) {
    RESERVED_TOKENS.forEach((t, i) => {
      if (tokens[i] !== t)
        throw new Error(`vocabulary: token ${i} must be '${t}', found '${tokens[i] ?? '(missing)'}'`);
    });
    this.tokens = tokens;
    this.ids = new Map();
    tokens.forEach((t, i) => {
      if (this.ids.has(t))
        throw new Error(`vocabulary: token '${t}' appears twice (ids ${this.ids.get(t)} and ${i})`);
      this.ids.set(t, i);
    });
  }

  get size(): number {
    return this.tokens.length;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The id of a token, or <unk>. */
  id(token: string): number {
    return this.ids.get(token) ?? UNK;
  }

  /** The token of an id; out-of-range ids read as <unk> (a sampled id from a bigger head, say). */
  token(id: number): string {
    return this.tokens[id] ?? RESERVED_TOKENS[UNK];
  }
}

/**
 * Builds a vocabulary: reserved symbols, then `fixed` tokens (always present, e.g. fallback symbols), then
 * counted tokens by descending frequency (ties in code-point order, so the result is deterministic),
 * dropping those seen fewer than `minFrequency` times and stopping at `maxSize` entries in all.
 */
export function buildVocabulary(
  counts: ReadonlyMap<string, number>,
  options: { minFrequency?: number; maxSize?: number; fixed?: readonly string[] } = {},
): Vocabulary {
  const tokens: string[] = [...RESERVED_TOKENS, ...(options.fixed ?? [])];
  const taken = new Set(tokens);
  const minFrequency = options.minFrequency ?? 1;
  const ranked = [...counts.entries()]
    .filter(([t, n]) => n >= minFrequency && !taken.has(t))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const room = Math.max(0, (options.maxSize ?? Number.POSITIVE_INFINITY) - tokens.length);
  for (const [t] of ranked.slice(0, room)) tokens.push(t);
  return new Vocabulary(tokens);
}

/**
 * A copy of `s` that does not share memory with the string it was cut from. V8 keeps a substring as a
 * view of its parent, so a map key cut from a 1 MB chunk of a file would keep the whole chunk alive;
 * long-lived strings from streamed files (vocabulary keys, sampled rows) are detached first.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** Adds 1 to the count of each token. */
export function countTokens(counts: Map<string, number>, tokens: Iterable<string>): void {
  for (const t of tokens) {
    const n = counts.get(t);
    counts.set(n === undefined ? detach(t) : t, (n ?? 0) + 1);
  }
}

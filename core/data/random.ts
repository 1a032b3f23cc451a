// A small seeded PRNG (sfc32, seeded through splitmix32) for everything that must repeat exactly from a
// seed: generators, splits, shuffles, dropout masks in the training loop. Its state is four numbers, so a
// checkpoint can save it and a resumed run continues the same sequence.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [lo, hi] (both included). */
  range(lo: number, hi: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  pick<T>(items: readonly T[]): T;
  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
  /** The four state words; `createRandom(0, state)` resumes from them. */
  state(): [number, number, number, number];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Mixes several integers (e.g. a seed and an epoch) into one seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) h = splitmix32(h ^ (p >>> 0) ^ Math.floor(p / 2 ** 32))();
  return h;
}

export function createRandom(seed: number, state?: readonly [number, number, number, number]): Random {
  let a: number, b: number, c: number, d: number;
  if (state) [a, b, c, d] = state;
  else {
    const init = splitmix32(seed ^ Math.floor(seed / 2 ** 32));
    [a, b, c, d] = [init(), init(), init(), init()];
  }
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  if (!state) for (let i = 0; i < 12; i++) u32(); // warm up past the seed's structure
  let spare: number | undefined;
  const random: Random = {
    next: () => u32() / 2 ** 32,
    int: (n) => {
      if (!(n >= 1)) throw new Error(`random.int needs n >= 1, got ${n}`);
      return Math.floor(random.next() * n);
    },
    range: (lo, hi) => lo + random.int(hi - lo + 1),
    normal: () => {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      const u = 1 - random.next();
      const v = random.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    pick: (items) => {
      if (items.length === 0) throw new Error('random.pick on an empty list');
      return items[random.int(items.length)]!;
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
    state: () => [a, b, c, d],
  };
  return random;
}

// The benchmark configs, exactly as ../shared/anchors/torch_rnn_bench.py (copied to
// scripts/bench/torch_bench.py): same sizes, same models, same token count per step.

export const BENCH_NAMES = ['lm-lstm', 'cls-gru', 'tag-bilstm', 's2s-attn'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

export interface BenchConfig {
  name: BenchName;
  what: string;
  B: number;
  T: number;
  V: number;
  H: number;
  /** Embedding size (cls, tag, s2s). */
  E?: number;
  /** Classes or tags. */
  C?: number;
  /** Source length (s2s). */
  S?: number;
}

export const BENCH_CONFIGS: Record<BenchName, BenchConfig> = {
  'lm-lstm': { name: 'lm-lstm', what: 'char LM, one-hot input, 1-layer LSTM', B: 64, T: 100, V: 65, H: 256 },
  'cls-gru': {
    name: 'cls-gru',
    what: 'embedding + GRU acceptor (last state)',
    B: 64,
    T: 200,
    V: 10000,
    E: 128,
    H: 128,
    C: 2,
  },
  'tag-bilstm': {
    name: 'tag-bilstm',
    what: 'embedding + BiLSTM tagger',
    B: 32,
    T: 50,
    V: 5000,
    E: 100,
    H: 128,
    C: 20,
  },
  's2s-attn': {
    name: 's2s-attn',
    what: 'GRU encoder-decoder, Luong dot attention',
    B: 64,
    S: 30,
    T: 12,
    V: 40,
    E: 64,
    H: 128,
  },
};

/**
 * The config with its batch, embedding and hidden sizes times `scale` (rounded, at least 1), its
 * sequence lengths, vocabulary and classes as they are: for slow backends such as the SwiftShader
 * emulator, where a full-size tfjs-layers step takes minutes. The lengths stay: the number of time steps
 * is what a recurrent step's cost grows with on a GPU (dispatches per step), and what the fused ops cut.
 * Scale 1 is the config itself.
 */
export function scaledConfig(c: BenchConfig, scale: number): BenchConfig {
  if (scale === 1) return c;
  const by = (n: number) => Math.max(1, Math.round(n * scale));
  const out: BenchConfig = { ...c, B: by(c.B), H: by(c.H) };
  if (c.E !== undefined) out.E = by(c.E);
  return out;
}

/** The sizes of a config, e.g. `B16 T25 V65 H64`. */
export function sizesOf(c: BenchConfig): string {
  const parts: [string, number | undefined][] = [
    ['B', c.B],
    ['S', c.S],
    ['T', c.T],
    ['V', c.V],
    ['E', c.E],
    ['H', c.H],
    ['C', c.C],
  ];
  return parts.flatMap(([k, v]) => (v === undefined ? [] : [`${k}${v}`])).join(' ');
}

/** Input tokens processed per training step, as the PyTorch script counts them. */
export function tokensPerStep(c: BenchConfig): number {
  return c.B * (c.T + (c.S ?? 0));
}

export function isBenchName(s: string): s is BenchName {
  return (BENCH_NAMES as readonly string[]).includes(s);
}

/** Seeded integers in [0, n), for reproducible random token batches. */
export function randomInts(count: number, n: number, seed: number): Int32Array {
  let a = seed >>> 0;
  return Int32Array.from({ length: count }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a % n;
  });
}

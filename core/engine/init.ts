// Initial weight values, seeded so runs repeat. Glorot-uniform kernels; recurrent kernels orthogonal per
// gate block (as Keras, but computed here by Gram–Schmidt in milliseconds: tfjs's orthogonal initializer
// takes minutes above 128 units); LSTM forget-gate bias 1 (unitForgetBias) or chrono (chronoMaxDelay:
// forget bias log U[1, T−1], input bias minus that); Elman identityInit = IRNN;
// small uniform embeddings; layer-norm gains 1.

export interface InitHints {
  /** The recurrent cell these weights belong to, if any. */
  cell?: 'lstm' | 'gru' | 'elman';
  units?: number;
  unitForgetBias?: boolean;
  /** LSTM chrono initialisation's T_max (0 or absent = off); when on it replaces unitForgetBias. */
  chronoMaxDelay?: number;
  identityInit?: boolean;
}

/** Mulberry32: tiny seeded uniform generator in [0,1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** An orthogonal [n,n] matrix: Gram–Schmidt on Gaussian columns. */
function orthogonal(n: number, random: () => number): Float32Array {
  const q = new Float64Array(n * n).map(() => normal(random));
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i * n + j]! * q[i * n + k]!;
      for (let i = 0; i < n; i++) q[i * n + j]! -= dot * q[i * n + k]!;
    }
    let len = 0;
    for (let i = 0; i < n; i++) len += q[i * n + j]! ** 2;
    len = Math.sqrt(len) || 1;
    for (let i = 0; i < n; i++) q[i * n + j]! /= len;
  }
  return Float32Array.from(q);
}

export function initialValue(
  name: string,
  shape: number[],
  random: () => number,
  hints: InitHints = {},
): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const leaf = name.slice(name.lastIndexOf('/') + 1);
  const uniform = (limit: number) => Float32Array.from({ length: size }, () => (2 * random() - 1) * limit);
  if (leaf === 'embeddings' || leaf === 'positions') return uniform(0.05);
  // State-space options (S4D, Gu et al. 2022): Δ log-uniform in [0.001, 0.1]; frequencies πn (S4D-Lin).
  if (leaf === 'log_step')
    return Float32Array.from({ length: size }, () => Math.log(0.001) + random() * Math.log(100));
  if (leaf === 'frequency') return Float32Array.from({ length: size }, (_, n) => Math.PI * n);
  if (leaf === 'gamma') return new Float32Array(size).fill(1);
  if (leaf === 'bias' || leaf === 'beta') {
    const v = new Float32Array(size);
    const H = hints.units;
    if (hints.cell !== 'lstm' || !H || size !== 4 * H) return v;
    const T = hints.chronoMaxDelay ?? 0;
    if (T > 0) {
      // Chrono (Tallec & Ollivier 2018): a unit with forget gate σ(b_f) keeps its cell for about
      // 1/(1−σ(b_f)) ≈ e^{b_f} steps, so b_f = log u with u uniform in [1, T−1]
      // spreads the units' memory spans over 1…T steps; the input gate opens as
      // little as the forget gate holds (b_i = −b_f).
      if (T < 3) throw new Error(`LSTM chronoMaxDelay must be 0 (off) or at least 3 (got ${T})`);
      for (let j = 0; j < H; j++) {
        const f = Math.log(1 + random() * (T - 2));
        v[H + j] = f;
        v[j] = -f;
      }
    } else if (hints.unitForgetBias !== false) v.fill(1, H, 2 * H);
    return v;
  }
  if (leaf === 'recurrent_kernel' && hints.units) {
    const H = hints.units;
    if (hints.cell === 'elman' && hints.identityInit)
      return Float32Array.from({ length: H * H }, (_, i) => (i % (H + 1) === 0 ? 1 : 0));
    if (H <= 512) {
      const G = size / H;
      const out = new Float32Array(size);
      for (let g = 0; g < G / H; g++) {
        const block = orthogonal(H, random);
        for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) out[i * G + g * H + j] = block[i * H + j]!;
      }
      return out;
    }
  }
  const fanIn = shape.length >= 2 ? shape[shape.length - 2]! : 1;
  const fanOut = shape[shape.length - 1]!;
  return uniform(Math.sqrt(6 / (fanIn + fanOut)));
}

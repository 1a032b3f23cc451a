// Initial weight values for the seq2seq model, seeded so runs repeat: Glorot-uniform kernels (also for
// recurrent kernels: orthogonal init is minutes-slow in tfjs above 128 units, DESIGN.md), zero biases
// with the LSTM forget gate at 1 (unitForgetBias), small uniform embeddings as Keras does.
// Only the standalone seq2seq model (createSeq2SeqModel: the bench's s2s-attn and reference tests) uses
// this; its config has no LSTM options. Studio graphs go through core/engine/init.ts, which applies the
// encoder's and decoder's LSTM options (chronoMaxDelay, unitForgetBias; tested in chronoInit.test.ts).

/** Mulberry32, the engine's seeded generator (one implementation for weights, tests and previews). */
export { seeded as seededRandom } from '../init.js';

export function initialValue(name: string, shape: number[], random: () => number, lstmUnits: number | null): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const leaf = name.slice(name.lastIndexOf('/') + 1);
  const uniform = (limit: number) => Float32Array.from({ length: size }, () => (2 * random() - 1) * limit);
  if (leaf === 'embeddings') return uniform(0.05);
  if (shape.length === 1 || leaf.endsWith('bias')) {
    const v = new Float32Array(size);
    // LSTM bias [4H] in gate order i, f, c, o: forget gate starts at 1.
    if (leaf === 'bias' && lstmUnits && size === 4 * lstmUnits) v.fill(1, lstmUnits, 2 * lstmUnits);
    return v;
  }
  const fanIn = shape[shape.length - 2]!;
  const fanOut = shape[shape.length - 1]!;
  return uniform(Math.sqrt(6 / (fanIn + fanOut)));
}

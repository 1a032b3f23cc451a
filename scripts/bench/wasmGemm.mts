// Our packed-panel wasm product (core/engine/wasm/gemm.ts) against tfjs-wasm's XNNPACK product, on the
// products of one lm-lstm training step: CPU time of this thread, best and median of repeated calls.
//   npx tsx scripts/bench/wasmGemm.mts [--no-relaxed]
import v8 from 'node:v8';
import { createRequire } from 'node:module';
import path from 'node:path';
if (!process.argv.includes('--no-relaxed')) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const tf = await import('@tensorflow/tfjs-core');
const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
const { activeWasm } = await import('../../core/engine/tfjsInternals.js');
const { wasmGemm, packedProduct, packRows, packPanels, packedRowsSize, packedColumnsSize } =
  await import('../../core/engine/wasm/gemm.js');

const require = createRequire(import.meta.url);
setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
await tf.setBackend('wasm');
const wasm = activeWasm()!;
const kernel = wasmGemm(wasm.memory());
if (!kernel) throw new Error('this V8 does not validate relaxed SIMD');

const shapeBytes = (s: number[]) => new Uint8Array(new Int32Array(s).buffer);
const cpuMs = () => process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000;

function measure(m: number, k: number, n: number, reps: number) {
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  const c = tf.zeros([m, n]);
  const packed = tf.zeros([packedColumnsSize(k, n)]);
  const packedA = tf.zeros([packedRowsSize(m, k)]);
  const sa = wasm.slot(a)!,
    sb = wasm.slot(b)!,
    sc = wasm.slot(c)!,
    sp = wasm.slot(packed)!,
    spa = wasm.slot(packedA)!;
  const flop = 2 * m * k * n;
  const timeIt = (f: () => void) => {
    f();
    const t: number[] = [];
    for (let r = 0; r < 7; r++) {
      const t0 = cpuMs();
      for (let i = 0; i < reps; i++) f();
      t.push((cpuMs() - t0) / reps);
    }
    t.sort((x, y) => x - y);
    return { best: t[0]!, median: t[3]! };
  };
  const xnn = timeIt(() =>
    wasm.batchMatMul(sa.id, shapeBytes([1, m, k]), 3, sb.id, shapeBytes([1, k, n]), 3, 0, 0, sc.id),
  );
  const ref = wasm.heapF32().slice(sc.offset, sc.offset + sc.size);
  const pack = timeIt(() => packPanels(kernel, wasm.heapF32(), sb.offset, k, n, 8, sp.offset));
  const ours = timeIt(() => {
    packRows(kernel, wasm.heapF32(), sa.offset, m, k, 6, spa.offset);
    packedProduct(kernel, spa.offset * 4, sp.offset * 4, k, sc.offset * 4, n, m, n);
  });
  const got = wasm.heapF32().subarray(sc.offset, sc.offset + sc.size);
  let err = 0;
  for (let i = 0; i < ref.length; i++)
    err = Math.max(err, Math.abs(ref[i]! - got[i]!) / (1 + Math.abs(ref[i]!)));
  const g = (ms: number) => (flop / ms / 1e6).toFixed(1);
  const ms = (t: { median: number }) => t.median.toFixed(3);
  console.log(
    `[${m},${k}]·[${k},${n}]  XNNPACK ${ms(xnn)} ms (${g(xnn.median)} GFLOP/s)  ` +
      `engine ${ms(ours)} ms (${g(ours.median)}, A packed inside)  ` +
      `B packed once ${ms(pack)} ms  max rel diff ${err.toExponential(1)}`,
  );
  tf.dispose([a, b, c, packed, packedA]);
}
// lm-lstm (B64 T100 H256): the recurrent product and its backward, per step and per half-batch shard; the
// weight gradient [h|1]ᵀ·dG; the vocabulary projection.
measure(64, 256, 1024, 20);
measure(64, 1024, 256, 20);
measure(32, 256, 1024, 20);
measure(257, 6400, 1024, 1);
measure(6400, 256, 65, 3);
// cls-gru and s2s-attn (GRU 128, B64), tag-bilstm (LSTM 128 each way, B32), a shard of each.
measure(32, 128, 384, 50);
measure(32, 384, 128, 50);
measure(16, 128, 512, 50);
measure(16, 512, 128, 50);
measure(129, 6400, 384, 2);
measure(229, 800, 512, 5);
// odd shapes
measure(7, 13, 9, 200);

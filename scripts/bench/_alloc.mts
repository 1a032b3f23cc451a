// Cost of allocating the per-call record arrays of an lm-lstm step (fresh vs reused).
const B = 64, T = 100, H = 256, G = 4 * H, N = B * T;
function time(label: string, f: () => void) {
  f(); f();
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) f();
  console.log(label, ((performance.now() - t0) / 10).toFixed(1), 'ms');
}
let keep: Float32Array[] = [];
time('fresh: acts+dG (2x26MB) + 4 x 6.5MB, touched', () => {
  keep = [new Float32Array(N * G), new Float32Array(N * G), ...[0, 1, 2, 3].map(() => new Float32Array(N * H))];
  for (const a of keep) for (let i = 0; i < a.length; i += 1024) a[i] = 1;
});
const pool = [new Float32Array(N * G), new Float32Array(N * G), ...[0, 1, 2, 3].map(() => new Float32Array(N * H))];
time('reused, touched', () => { for (const a of pool) for (let i = 0; i < a.length; i += 1024) a[i] = 1; });

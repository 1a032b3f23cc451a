// CPU per training step of one bench config (ours), optionally with a V8 CPU profile of the timed steps
// only (--prof FILE): `npx tsx scripts/bench/_steps.mts lm-lstm 6 --prof /tmp/p.cpuprofile`.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { selectBackend } from '../../main/engine/backend.js';
import { BENCH_CONFIGS } from '../../main/engine/bench/configs.js';
import { oursStep } from '../../main/engine/bench/ours.js';
await selectBackend('wasm');
const name = (process.argv[2] ?? 'lm-lstm') as 'lm-lstm';
const n = Number(process.argv[3] ?? 6);
const profAt = process.argv.indexOf('--prof');
const r = oursStep(BENCH_CONFIGS[name]);
r.step();
r.step();
const session = profAt > 0 ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < n; i++) r.step();
const cu = process.cpuUsage(c0);
const ms = (performance.now() - t0) / n;
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(process.argv[profAt + 1]!, JSON.stringify(profile));
}
console.log(name, 'wall/step', ms.toFixed(0), 'ms, cpu/step', ((cu.user + cu.system) / 1000 / n).toFixed(0), 'ms');

// The long kill test: 100 SIGKILLs of `rnn-studio train` and 100 of `rnn-studio data --import`, each timed
// to the moment a temp file of a save appears, each followed by an open with `rnn-studio validate`
// (kill-shared.ts). Target: 0 corrupt projects, 0 temp files after the open, 0 runs left running.
// RNN_STUDIO_KILLS sets the kills of each kind.
import { describeFigures, killTimedToTemps } from './kill-shared.js';

const count = Number(process.env.RNN_STUDIO_KILLS ?? 100);
const started = Date.now();
const cpuBefore = process.cpuUsage();
const all = await Promise.all([
  killTimedToTemps('train', count, 2, (line) => console.log(line)),
  killTimedToTemps('import', count, 2, (line) => console.log(line)),
]);
for (const f of all) {
  console.log(describeFigures(f));
  for (const problem of f.problems.slice(0, 20)) console.log(`  problem: ${problem}`);
}
const cpu = process.cpuUsage(cpuBefore);
console.log(
  `wall ${((Date.now() - started) / 1000).toFixed(0)} s (this process's CPU ` +
    `${((cpu.user + cpu.system) / 1e6).toFixed(0)} s; the CLIs it killed ran in their own processes)`,
);
const bad = all.some(
  (f) => f.corrupt + f.tempsAfterOpen + f.runningAfterOpen + f.failedToStart > 0 || f.kills === 0,
);
process.exitCode = bad ? 1 : 0;

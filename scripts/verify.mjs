// `npm run verify`: the long runs that prove quality (templates reaching their published accuracy,
// large-file imports, …). Each scripts/verify/*.ts prints its figures and exits non-zero when a target is
// missed. Files with a top-level `export` are modules the scripts share, not scripts, and are not run.
//   npm run verify                                   every script
//   npm run verify -- engine-adding seq2seq-dates    the scripts whose names contain these words
//   npm run verify -- engine-copy --cell lstm        arguments from the first --flag on go to each script
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const dir = 'scripts/verify';
const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith('--'));
const wanted = firstFlag < 0 ? args : args.slice(0, firstFlag);
const passed = firstFlag < 0 ? [] : args.slice(firstFlag);
// Each script trains in its own process, started with the V8 flags of a studio run's engine process
// (main/training/engineFlags.ts says why; a test keeps this list equal to it), so its times are a run's.
const ENGINE_FLAGS = ['--initial-old-space-size=128'];
const isModule = (file) => /^export\s/m.test(readFileSync(`${dir}/${file}`, 'utf8'));
const all = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !isModule(f))
      .sort()
  : [];
const chosen = wanted.length > 0 ? all.filter((f) => wanted.some((w) => f.includes(w))) : all;
if (chosen.length === 0) {
  console.error(`No verification scripts${wanted.length ? ` match ${wanted.join(', ')}` : ''} in ${dir}/.`);
  process.exit(1);
}
const outcomes = [];
for (const file of chosen) {
  console.log(`\n▶ ${file}${passed.length ? ` ${passed.join(' ')}` : ''}`);
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [...ENGINE_FLAGS, '--import', 'tsx', `${dir}/${file}`, ...passed],
    {
      stdio: 'inherit',
    },
  );
  outcomes.push({ file, ok: result.status === 0, seconds: (Date.now() - started) / 1000 });
}
console.log('');
for (const o of outcomes) console.log(`${o.ok ? 'met   ' : 'MISSED'} ${o.file} (${o.seconds.toFixed(0)} s)`);
const missed = outcomes.filter((o) => !o.ok).length;
console.log(`verify: ${outcomes.length - missed} passed, ${missed} failed`);
process.exitCode = missed === 0 ? 0 : 1;

// `npm run verify`: the long runs that prove quality (templates reaching their published accuracy,
// large-file imports, …). Each scripts/verify/*.ts prints its figures and exits non-zero when a target is
// missed. Pass names to run some: `npm run verify -- engine-adding`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const dir = 'scripts/verify';
const wanted = process.argv.slice(2);
const all = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts')).sort() : [];
const chosen = wanted.length > 0 ? all.filter((f) => wanted.some((w) => f.includes(w))) : all;
if (chosen.length === 0) {
  console.error(`No verification scripts${wanted.length ? ` match ${wanted.join(', ')}` : ''} in ${dir}/.`);
  process.exit(1);
}
const outcomes = [];
for (const file of chosen) {
  console.log(`\n▶ ${file}`);
  const started = Date.now();
  const result = spawnSync('npx', ['tsx', `${dir}/${file}`], { stdio: 'inherit' });
  outcomes.push({ file, ok: result.status === 0, seconds: (Date.now() - started) / 1000 });
}
console.log('');
for (const o of outcomes) console.log(`${o.ok ? 'met   ' : 'MISSED'} ${o.file} (${o.seconds.toFixed(0)} s)`);
const missed = outcomes.filter((o) => !o.ok).length;
console.log(`verify: ${outcomes.length - missed} passed, ${missed} failed`);
process.exitCode = missed === 0 ? 0 : 1;

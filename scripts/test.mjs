// `npm test`: every check the project has, in one run, ending with one plain summary line.
// lint → line width → format → typecheck → unit/integration (vitest) → Electron security scan
// → build → E2E (Playwright). Each step runs even when an earlier one failed, so one run shows every
// problem.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const skips = [];
mkdirSync('test-results', { recursive: true });

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const child = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = child.status === 0;
  console.log(`${ok ? '✔' : '✖'} ${label} (${seconds} s)`);
  return ok;
}

/** A step that is one check (lint, typecheck, …) counts as one test. */
function step(label, command, args, env) {
  if (run(label, command, args, env)) results.passed++;
  else {
    results.failed++;
    failures.push(label);
  }
}

function countVitest(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status === 'passed') results.passed++;
      else if (test.status === 'failed') {
        results.failed++;
        failures.push(`vitest: ${test.fullName}`);
      } else {
        results.skipped++;
        skips.push(`vitest: ${test.fullName}`);
      }
    }
    // A file that failed to load has no assertions but must still count as a failure.
    if (suite.status === 'failed' && (suite.assertionResults ?? []).every((t) => t.status !== 'failed')) {
      results.failed++;
      failures.push(`vitest: ${suite.name}: ${(suite.message ?? '').split('\n')[0]}`);
    }
  }
  return true;
}

function countPlaywright(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const status = test.status; // expected | unexpected | flaky | skipped
        const name = `${spec.file}: ${spec.title}`;
        if (status === 'expected' || status === 'flaky') results.passed++;
        else if (status === 'skipped') {
          results.skipped++;
          const reason = (test.annotations ?? [])
            .map((a) => a.description)
            .filter(Boolean)
            .join('; ');
          skips.push(`playwright: ${name} — ${reason || 'no reason given'}`);
        } else {
          results.failed++;
          failures.push(`playwright: ${name}`);
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  for (const error of report.errors ?? []) {
    results.failed++;
    failures.push(`playwright: ${(error.message ?? '').split('\n')[0]}`);
  }
  return true;
}

step('lint', 'npx', ['eslint', '.', '--max-warnings', '0']);
// No source line wider than the format width, strings and comments included (Prettier leaves those).
step('line width (scripts/lineWidth.mjs)', 'node', ['scripts/lineWidth.mjs']);
// The code's own format (.prettierrc.json, width 110): `npm run format` fixes what this finds.
step('format (prettier --check)', 'npx', [
  'prettier',
  '--check',
  '--log-level',
  'warn',
  '**/*.{ts,mts,mjs,cjs,js,vue}',
]);
// Each layer alone, with only its own types: core without DOM or Node, so neither can creep in.
step('typecheck (each layer alone: tsc -b)', 'npx', ['tsc', '-b']);
step('typecheck (core, main, electron, tests)', 'npx', ['tsc', '-p', 'test/tsconfig.json', '--noEmit']);
step('typecheck (renderer)', 'npx', ['vue-tsc', '--noEmit', '-p', 'renderer/tsconfig.json']);

rmSync('test-results/vitest.json', { force: true });
run('unit and integration tests', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json',
]);
if (!countVitest('test-results/vitest.json')) {
  results.failed++;
  failures.push('vitest produced no report');
}

step('Electron security scan (electronegativity)', 'node', ['scripts/electronegativity.cjs']);
step('build (electron-vite: main, preload, renderer)', 'npx', ['electron-vite', 'build']);

rmSync('test-results/playwright.json', { force: true });
run('end-to-end tests (Playwright, Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json',
});
if (!countPlaywright('test-results/playwright.json')) {
  results.failed++;
  failures.push('Playwright produced no report');
}

console.log('');
for (const skip of skips) console.log(`skipped: ${skip}`);
for (const failure of failures) console.log(`FAILED: ${failure}`);
console.log(`Summary: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exitCode = results.failed === 0 && results.passed > 0 ? 0 : 1;

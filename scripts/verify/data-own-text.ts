// A user's own English text, trained with the studio's defaults, as a user runs it: `rnn-studio new
// char-lm`, `data --import TEXT --format text`, `train`, `eval --json`. Passes when the validation
// perplexity is below half the text's unigram (character-frequency) perplexity and the training run
// takes under 5 minutes of wall time. Texts: the arguments, else three ordinary English texts found on
// Debian (a licence, a file-format specification, a chapter of a manual), none used by the tests.
//   npm run verify -- data-own-text          or   npx tsx scripts/verify/data-own-text.ts FILE …
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_TEXTS = [
  '/usr/share/common-licenses/GPL-3',
  '/usr/share/doc/dpkg/spec/triggers.txt',
  '/usr/share/vim/vim90/doc/editing.txt',
];
const LIMIT_SECONDS = 300;
const bin = fileURLToPath(new URL('../../bin/rnn-studio.mjs', import.meta.url));

/** exp(entropy) of the text's character distribution: what counting characters alone achieves. */
function unigramPerplexity(text: string): number {
  const counts = new Map<string, number>();
  const chars = [...text.replace(/\r\n?/g, '\n')];
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const k of counts.values()) h -= (k / chars.length) * Math.log(k / chars.length);
  return Math.exp(h);
}

function cli(args: string[]): string {
  console.log(`$ rnn-studio ${args.join(' ')}`);
  return execFileSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

const texts = process.argv.slice(2).filter((a) => !a.startsWith('--'));
let failed = 0;
const dir = mkdtempSync(join(tmpdir(), 'rnn-own-text-'));
try {
  for (const text of texts.length ? texts : DEFAULT_TEXTS) {
    const unigram = unigramPerplexity(readFileSync(text, 'utf8'));
    const project = join(dir, `${basename(text).replace(/\W+/g, '-')}.rnnproj`);
    const dataDir = join(dir, 'data');
    cli(['new', 'char-lm', project]);
    process.stdout.write(cli(['data', project, '--import', text, '--format', 'text', '--data-dir', dataDir]));
    const started = Date.now();
    const trained = cli(['train', project, '--data-dir', dataDir]);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(trained.split('\n').slice(-4).join('\n'));
    const report = JSON.parse(cli(['eval', project, '--json', '--data-dir', dataDir])) as {
      perplexity: number;
      epoch: number;
      examples: number;
    };
    const pass = report.perplexity < unigram / 2 && seconds < LIMIT_SECONDS;
    if (!pass) failed++;
    console.log(
      `${pass ? 'PASS' : 'FAIL'} ${text} (${readFileSync(text).length} bytes): ` +
        `validation perplexity ${report.perplexity.toFixed(2)} ` +
        `(best epoch ${report.epoch}, ${report.examples} windows) ` +
        `vs unigram ${unigram.toFixed(2)} (target < ${(unigram / 2).toFixed(2)}); ` +
        `training ${seconds.toFixed(0)} s wall (limit ${LIMIT_SECONDS} s)\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);

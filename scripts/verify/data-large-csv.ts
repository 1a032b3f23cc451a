// Imports a generated 200 MB CSV and prints the peak memory (target: under 300 MB resident), the time and
// the row count. The file is written to a temp folder in a first process; a second process does only the
// import, so its peak RSS (getrusage maxrss) measures the importer alone.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandom } from '../../core/data/random.js';

const TARGET_BYTES = 200 * 1024 * 1024;
const LIMIT_MB = 300;

async function writeCsv(path: string): Promise<number> {
  const random = createRandom(1);
  const words = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}${'abcdefghij'[i % 10]}`);
  const out = createWriteStream(path);
  out.write('id,review,label\n');
  let bytes = 0;
  let rows = 0;
  while (bytes < TARGET_BYTES) {
    const n = 5 + random.int(80);
    const text = Array.from({ length: n }, () => words[Math.floor(words.length * random.next() ** 2)]).join(
      ' ',
    );
    // Every 7th row quoted with a comma, every 50th with an embedded newline.
    const field =
      rows % 50 === 0 ? `"${text},\n${text.slice(0, 20)}"` : rows % 7 === 0 ? `"${text}, indeed"` : text;
    const line = `${rows},${field},${random.int(2) ? 'pos' : 'neg'}\n`;
    bytes += Buffer.byteLength(line);
    rows++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

async function measure(path: string): Promise<void> {
  const { importDataset } = await import('../../main/data/index.js');
  const started = Date.now();
  let lastTenth = -1;
  const result = await importDataset({ path }, { embed: false }, (p) => {
    const tenth = Math.floor(p.fraction * 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      process.stdout.write(
        `  ${(p.fraction * 100).toFixed(0)}% (${p.rows} rows, ` +
          `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB)\n`,
      );
    }
  });
  const seconds = (Date.now() - started) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      rows: result.stats.examples,
      errors: result.errorCount,
      vocabulary: result.spec.vocabulary?.length,
      seconds,
      peakRssMb: Math.round(peakMb),
    }),
  );
}

if (process.argv[2] === '--import') {
  await measure(process.argv[3]!);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-studio-large-csv-'));
  const path = join(dir, 'large.csv');
  try {
    const rows = await writeCsv(path);
    console.log(`wrote ${path}: ${(statSync(path).size / 2 ** 20).toFixed(0)} MB, ${rows} rows`);
    const child = spawnSync('npx', ['tsx', fileURLToPath(import.meta.url), '--import', path], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(child.stdout);
    const last = child.stdout.trim().split('\n').at(-1) ?? '{}';
    const figures = JSON.parse(last.startsWith('{') ? last : '{}') as { peakRssMb?: number; rows?: number };
    const ok = child.status === 0 && figures.rows === rows && (figures.peakRssMb ?? Infinity) < LIMIT_MB;
    console.log(
      `${ok ? 'met' : 'MISSED'}: peak RSS ${figures.peakRssMb} MB (limit ${LIMIT_MB} MB), ` +
        `${figures.rows} of ${rows} rows imported`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

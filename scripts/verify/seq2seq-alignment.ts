// The dates template's attention-alignment check, shared by scripts/verify/seq2seq-dates.ts and
// the unit test test/unit/main/inference/dates-alignment.test.ts. Run alone (npx tsx) it checks that
// every probe's field spans are found once; `npm run verify` skips it, as it does every shared module.
//
// Definition, fixed before any run (do not change it to make a model pass): the target's eight digits
// (YYYY, MM, DD of the ISO date) each belong to one field; the field is written somewhere in the source
// (digits, a month name or abbreviation); target digit t is ALIGNED when the argmax of its attention row
// lies inside the source span of its own field (year digits look at the year, month digits at the month,
// day digits at the day). Probes: three dates whose fields share no digit strings (so each span is found
// unambiguously) in all twenty formats, 480 target digits. Target: >= 90% aligned. Reported besides:
// digit-exact alignment where the source writes the field with as many digits as the target (argmax on
// the very same digit).
import { DATE_FORMATS, isoDate, MONTHS } from '../../core/data/generators/date-formats.js';

export const ALIGNMENT_TARGET = 0.9;

export interface ProbeDate {
  y: number;
  m: number;
  d: number;
  weekday: number;
}

export const PROBE_DATES: ProbeDate[] = [
  [1987, 11, 24],
  [2031, 6, 9],
  [1958, 3, 17],
].map(([y, m, d]) => ({
  y: y!,
  m: m!,
  d: d!,
  weekday: new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay(),
}));

type Field = 'y' | 'm' | 'd';
const FIELD_OF_TARGET: Field[] = ['y', 'y', 'y', 'y', 'm', 'm', 'd', 'd'];
/** Positions of the eight digits in "YYYY-MM-DD": the output steps whose attention rows are checked. */
const TARGET_STEP = [0, 1, 2, 3, 5, 6, 8, 9];

/**
 * Where a field is written in the source: the first candidate spelling found exactly once (case-insensitive).
 */
function span(source: string, candidates: string[], what: string): [number, number] {
  const lower = source.toLowerCase();
  for (const c of candidates) {
    const at = lower.indexOf(c.toLowerCase());
    if (at < 0) continue;
    if (lower.indexOf(c.toLowerCase(), at + 1) >= 0)
      throw new Error(`probe "${source}": the ${what} "${c}" occurs twice; pick another probe date`);
    return [at, at + c.length];
  }
  throw new Error(`probe "${source}": no ${what} found among ${candidates.join(', ')}`);
}

/** The source character span [from, to) of each field of probe date `p` written as `source`. */
export function fieldSpans(source: string, p: ProbeDate): Record<Field, [number, number]> {
  const pad = (n: number) => String(n).padStart(2, '0');
  const spans: Record<Field, [number, number]> = {
    y: span(source, [String(p.y), `'${pad(p.y % 100)}`, `/${pad(p.y % 100)}`], 'year'),
    m: span(source, [MONTHS[p.m - 1]!, MONTHS[p.m - 1]!.slice(0, 3), pad(p.m), String(p.m)], 'month'),
    d: span(source, [pad(p.d), String(p.d)], 'day'),
  };
  // "'58" and "/58": the apostrophe or slash is not part of the year.
  if (source[spans.y[0]] === "'" || source[spans.y[0]] === '/') spans.y[0]++;
  return spans;
}

/**
 * One probe as the model translated it: the output text and its attention rows [output step][source char].
 */
export interface ProbeTranslation {
  output: string;
  attention: number[][] | undefined;
}

export interface ProbeResult {
  format: number;
  source: string;
  target: string;
  output: string;
  /** Source index of the attention peak of each of the 8 target digits (-1: no row for that step). */
  peaks: number[];
  aligned: number;
}

export interface AlignmentReport {
  aligned: number;
  steps: number;
  digitExact: number;
  digitSteps: number;
  /** Probes whose greedy output was not the ISO date (their rows may not belong to the target digits). */
  wrongOutputs: number;
  probes: ProbeResult[];
}

/**
 * Scores `translate` on probes (default: the three dates in all twenty formats). A digit whose output
 * step has no attention row (the output was too short, or the model exposes no attention) counts as not
 * aligned, so a model cannot pass by writing less.
 */
export async function scoreAlignment(
  translate: (source: string) => Promise<ProbeTranslation>,
  probes = allProbes(),
): Promise<AlignmentReport> {
  const report: AlignmentReport = {
    aligned: 0,
    steps: 0,
    digitExact: 0,
    digitSteps: 0,
    wrongOutputs: 0,
    probes: [],
  };
  for (const { format, date: p } of probes) {
    const source = DATE_FORMATS[format]!(p);
    const target = isoDate(p);
    const spans = fieldSpans(source, p);
    const { output, attention } = await translate(source);
    if (output !== target) report.wrongOutputs++;
    const peaks: number[] = [];
    let aligned = 0;
    TARGET_STEP.forEach((t, k) => {
      const row = attention?.[t];
      const peak = row && row.length > 0 ? row.indexOf(Math.max(...row)) : -1;
      peaks.push(peak);
      const field = FIELD_OF_TARGET[k]!;
      const [from, to] = spans[field];
      report.steps++;
      if (peak >= from && peak < to) aligned++;
      // Digit-exact: the field is written in digits as wide as the target's (YYYY, MM, DD), so digit j of the
      // target field is the source character at from + j.
      const width = field === 'y' ? 4 : 2;
      if (to - from === width && /^\d+$/.test(source.slice(from, to))) {
        const j = k - (field === 'y' ? 0 : field === 'm' ? 4 : 6);
        report.digitSteps++;
        if (peak === from + j) report.digitExact++;
      }
    });
    report.aligned += aligned;
    report.probes.push({ format, source, target, output, peaks, aligned });
  }
  return report;
}

export function allProbes(): { format: number; date: ProbeDate }[] {
  return DATE_FORMATS.flatMap((_, format) => PROBE_DATES.map((date) => ({ format, date })));
}

/** One line per figure, as the verify script and the test print them. */
export function describeAlignment(r: AlignmentReport): string {
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  return (
    `attention alignment: ${r.aligned}/${r.steps} target digits (${pct(r.aligned, r.steps)}) ` +
    `peak inside their own field in the source ` +
    `(target >= ${100 * ALIGNMENT_TARGET}%); digit-exact where the source writes the field as wide ` +
    `as the target: ` +
    `${r.digitExact}/${r.digitSteps} (${pct(r.digitExact, r.digitSteps)}); ` +
    `${r.wrongOutputs}/${r.probes.length} probe outputs not the ISO date`
  );
}

/** Misses per format (1-based), e.g. "f2: 3, f18: 6", to see where attention goes wrong. */
export function missesByFormat(r: AlignmentReport): string {
  const misses = new Map<number, number>();
  for (const p of r.probes)
    if (p.aligned < 8) misses.set(p.format + 1, (misses.get(p.format + 1) ?? 0) + 8 - p.aligned);
  return [...misses].map(([f, n]) => `f${f}: ${n}`).join(', ') || 'none';
}

if (process.argv[1]?.endsWith('seq2seq-alignment.ts')) {
  // Every probe's spans are found once each (span() throws otherwise) and lie inside the source.
  const probes = allProbes().map(({ format, date }) => {
    const source = DATE_FORMATS[format]!(date);
    return Object.values(fieldSpans(source, date)).every(([a, b]) => a >= 0 && b <= source.length && a < b);
  });
  const ok = probes.length === 60 && probes.every(Boolean);
  console.log(`seq2seq-alignment: ${probes.length} probes, field spans ${ok ? 'found' : 'BROKEN'}`);
  process.exitCode = ok ? 0 : 1;
}

// Dates written the ways people write them → ISO 8601 (YYYY-MM-DD), as sequence to sequence (the
// classic attention demo: the model must find the day, month and year wherever the format puts them).
// Twenty formats; none is ambiguous: day-first and month-first numeric forms use different separators
// ('/' is US month-first, '.' and '-' are day-first), and two-digit years mean 1950–2049.
import { z } from 'zod';
import type { Random } from '../random.js';
import type { DatasetGenerator } from './generator.js';

/** Month names as the formats write them (also used to find a month's span in a source). */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface DateParts {
  y: number;
  m: number; // 1-12
  d: number;
  weekday: number; // 0 = Sunday
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st. */
function ordinal(d: number): string {
  const teen = d % 100 >= 11 && d % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][d % 10] ?? 'th');
  return `${d}${suffix}`;
}
const month = (p: DateParts) => MONTHS[p.m - 1]!;
const mon = (p: DateParts) => month(p).slice(0, 3);
const yy = (p: DateParts) => pad(p.y % 100);

/** The formats, each a function of the date. Exported so the test can check every one round-trips. */
export const DATE_FORMATS: ((p: DateParts) => string)[] = [
  (p) => `${month(p)} ${p.d}, ${p.y}`, // March 7, 2021
  (p) => `${p.d} ${month(p)} ${p.y}`, // 7 March 2021
  (p) => `${mon(p)} ${p.d}, ${p.y}`, // Mar 7, 2021
  (p) => `${p.d} ${mon(p)} ${p.y}`, // 7 Mar 2021
  (p) => `${pad(p.m)}/${pad(p.d)}/${p.y}`, // 03/07/2021 (US)
  (p) => `${pad(p.d)}.${pad(p.m)}.${p.y}`, // 07.03.2021
  (p) => `${DAYS[p.weekday]}, ${month(p)} ${p.d}, ${p.y}`, // Sunday, March 7, 2021
  (p) => `${DAYS[p.weekday]!.slice(0, 3)}, ${p.d} ${mon(p)} ${p.y}`, // Sun, 7 Mar 2021
  (p) => `${p.y}/${pad(p.m)}/${pad(p.d)}`, // 2021/03/07
  (p) => `${p.y}${pad(p.m)}${pad(p.d)}`, // 20210307
  (p) => `${ordinal(p.d)} ${month(p)} ${p.y}`, // 7th March 2021
  (p) => `${month(p)} ${ordinal(p.d)}, ${p.y}`, // March 7th, 2021
  (p) => `the ${ordinal(p.d)} of ${month(p)}, ${p.y}`, // the 7th of March, 2021
  (p) => `${month(p).toUpperCase()} ${p.d} ${p.y}`, // MARCH 7 2021
  (p) => `${mon(p).toLowerCase()} ${pad(p.d)} ${p.y}`, // mar 07 2021
  (p) => `${pad(p.d)}-${mon(p)}-${p.y}`, // 07-Mar-2021
  (p) => `${p.y} ${month(p)} ${p.d}`, // 2021 March 7
  (p) => `${p.d}-${p.m}-${p.y}`, // 7-3-2021
  (p) => `${mon(p)}. ${p.d}, '${yy(p)}`, // Mar. 7, '21
  (p) => `${p.m}/${p.d}/${yy(p)}`, // 3/7/21 (US)
];

export function isoDate(p: { y: number; m: number; d: number }): string {
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
}

/** A uniformly random day between 1950-01-01 and 2049-12-31 (two-digit years stay unambiguous). */
export function randomDate(random: Random): DateParts {
  const start = Date.UTC(1950, 0, 1);
  const days = Math.round((Date.UTC(2049, 11, 31) - start) / 86_400_000);
  const t = new Date(start + random.int(days + 1) * 86_400_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), weekday: t.getUTCDay() };
}

const params = z.object({ count: z.number().int().min(1).max(1_000_000).default(10000) }).strict();

export const dateFormats: DatasetGenerator<typeof params> = {
  name: 'date-formats',
  title: 'Date formats',
  description:
    'Read a date written one of twenty human ways ("the 7th of March, 2021", "3/7/21") ' +
    'and write it as 2021-03-07.',
  task: 'seq2seq',
  tokenizer: 'character',
  params,
  generate: ({ count }, random) =>
    Array.from({ length: count }, () => {
      const date = randomDate(random);
      return { source: random.pick(DATE_FORMATS)(date), target: isoDate(date) };
    }),
};

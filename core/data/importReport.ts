// What an import did with a file, for the wizard and `rnn-studio data`: how it read the file (encoding,
// delimiter, header, and why), the rows it kept, the rows it skipped grouped by reason with the line
// numbers of the first few, and the empty lines it passed over. Plain data, typed once with zod, so the
// host API carries it to the studio unchanged.
import { z } from 'zod';
import { ColumnsSchema, FileFormatSchema, TaskIdSchema } from './spec.js';
import { TEXT_ENCODINGS } from './sniff.js';

/** How many line numbers each reason keeps, and how many skipped rows are listed one by one. */
export const REPORT_LINES = 5;

export const SkipReasonSchema = z.object({
  reason: z.string(),
  count: z.number().int().nonnegative(),
  /** The first few 1-based line numbers (where the row starts). */
  lines: z.array(z.number().int()),
});
export type SkipReason = z.infer<typeof SkipReasonSchema>;

export const FileReadingSchema = z.object({
  format: FileFormatSchema,
  encoding: z.enum(TEXT_ENCODINGS),
  /** Why the encoding (absent for plain UTF-8), e.g. "not valid UTF-8 (byte 0xE9 on line 3)". */
  encodingNote: z.string().optional(),
  /** The user chose the encoding (true) or it was detected (false). */
  encodingChosen: z.boolean(),
  delimiter: z.string().optional(),
  header: z.boolean(),
  /** Why the header setting, when it was guessed rather than chosen. */
  headerNote: z.string().optional(),
});
export type FileReading = z.infer<typeof FileReadingSchema>;

export const ImportReportSchema = z.object({
  reading: FileReadingSchema,
  rowsKept: z.number().int().nonnegative(),
  rowsSkipped: z.number().int().nonnegative(),
  emptyLines: z.number().int().nonnegative(),
  /** Skipped rows by reason, most frequent first. */
  skipped: z.array(SkipReasonSchema),
  /** The first few skipped rows, in file order. */
  firstSkipped: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export interface SkippedRow {
  line: number;
  message: string;
  /**
   * Groups rows skipped for the same reason ("has 3 fields but the
   * header has 2" → "wrong number of fields").
   */
  reason?: string;
}

/** Counts rows as a file streams past; `finish` gives the report. Memory: a few lines per reason. */
export class ImportReportBuilder {
  private kept = 0;
  private skippedRows = 0;
  private empty = 0;
  private readonly reasons = new Map<string, SkipReason>();
  private readonly first: { line: number; message: string }[] = [];
  private readonly emptyLinesAt: number[] = [];

  keep(): void {
    this.kept++;
  }

  skip(row: SkippedRow): void {
    this.skippedRows++;
    const reason = row.reason ?? row.message;
    let entry = this.reasons.get(reason);
    if (!entry) this.reasons.set(reason, (entry = { reason, count: 0, lines: [] }));
    entry.count++;
    if (entry.lines.length < REPORT_LINES) entry.lines.push(row.line);
    if (this.first.length < REPORT_LINES) this.first.push({ line: row.line, message: row.message });
  }

  emptyLine(line: number): void {
    this.empty++;
    if (this.emptyLinesAt.length < REPORT_LINES) this.emptyLinesAt.push(line);
  }

  get rowsKept(): number {
    return this.kept;
  }

  finish(reading: FileReading): ImportReport {
    const skipped = [...this.reasons.values()].sort((a, b) => b.count - a.count);
    if (this.empty > 0)
      skipped.push({ reason: 'empty line', count: this.empty, lines: [...this.emptyLinesAt] });
    return {
      reading,
      rowsKept: this.kept,
      rowsSkipped: this.skippedRows,
      emptyLines: this.empty,
      skipped,
      firstSkipped: [...this.first],
    };
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** How the file was read, in one line: "CSV, UTF-8, delimiter ",", first row is the header". */
export function describeReading(r: FileReading): string {
  const delimiter = r.delimiter === '\t' ? 'tab' : r.delimiter ? `"${r.delimiter}"` : undefined;
  const header = r.header ? 'first row is the header' : 'no header row: columns are numbered';
  const parts = [
    r.format.toUpperCase(),
    `read as ${encodingName(r.encoding)}${r.encodingNote ? ` (${r.encodingNote})` : ''}`,
    ...(delimiter ? [`delimiter ${delimiter}`] : []),
    ...(r.format === 'csv' || r.format === 'tsv'
      ? [`${header}${r.headerNote ? ` (${r.headerNote})` : ''}`]
      : []),
  ];
  return parts.join(', ');
}

function encodingName(e: FileReading['encoding']): string {
  return { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE', 'windows-1252': 'Windows-1252' }[
    e
  ];
}

/** The report as lines of text (the CLI prints them; the wizard shows the same facts as a list). */
export function describeReport(report: ImportReport): string[] {
  const lines = [`Read ${describeReading(report.reading)}.`];
  if (report.reading.format === 'text') return lines; // one document: no rows to keep or skip
  const rows = report.rowsKept + report.rowsSkipped;
  lines.push(
    `Kept ${plural(report.rowsKept, 'row')} of ${rows}; skipped ${plural(report.rowsSkipped, 'row')}` +
      (report.emptyLines > 0 ? ` and ${plural(report.emptyLines, 'empty line')}.` : '.'),
  );
  for (const s of report.skipped) {
    const more = s.count > s.lines.length ? ', …' : '';
    lines.push(
      `  ${s.reason}: ${plural(s.count, s.reason === 'empty line' ? 'line' : 'row')} ` +
        `(line${s.lines.length === 1 ? '' : 's'} ${s.lines.join(', ')}${more})`,
    );
  }
  return lines;
}

/** What the file looks like before importing it: how it will be read, its first rows, the columns picked. */
export const ImportPreviewSchema = z.object({
  fileName: z.string(),
  reading: FileReadingSchema,
  task: TaskIdSchema,
  /** Column names as read (the header's, or 1, 2, … without one). */
  columns: z.array(z.string()),
  /** The column picked for each role the task needs. */
  roles: ColumnsSchema,
  /** Why the task cannot use this file as read (a missing column), when it cannot. */
  problem: z.string().optional(),
  /** The first rows as parsed, one string per column (in `columns` order), with the line each starts on. */
  rows: z.array(z.object({ line: z.number().int(), values: z.array(z.string()) })),
  /** In the rows looked at: kept, skipped (with reasons), empty lines. */
  sample: z.object({
    rowsKept: z.number().int(),
    rowsSkipped: z.number().int(),
    emptyLines: z.number().int(),
    skipped: z.array(SkipReasonSchema),
  }),
  /** Only the start of the file was read for the preview. */
  partial: z.boolean(),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

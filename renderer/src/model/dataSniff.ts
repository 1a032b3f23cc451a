// A first look at a data file in the browser, before it is uploaded: its format from the name and the
// column names from the first line (CSV/TSV header) or the first object (JSONL), so the wizard can offer
// column choices. The host's importer does the real, streaming parse.
import type { FileFormat, TaskId } from '../../../core/data/spec.js';

export function formatFromName(fileName: string): FileFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return 'tsv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.txt') || lower.endsWith('.text')) return 'text';
  return 'csv';
}

/** Splits one CSV/TSV line, honouring double quotes ("a, b" stays one field; "" is a quote). */
export function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      out.push(field);
      field = '';
    }
    else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/** The most frequent of , ; | tab on the header line (outside quotes). */
export function guessDelimiter(line: string): string {
  const counts = [',', '\t', ';', '|'].map((d) => ({ d, n: splitLine(line, d).length }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 1 ? counts[0]!.d : ',';
}

export function sniffColumns(head: string, format: FileFormat): string[] {
  const text = head.replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  if (format === 'csv' || format === 'tsv') {
    return splitLine(first, format === 'tsv' ? '\t' : guessDelimiter(first)).filter(Boolean);
  }
  if (format === 'jsonl') {
    try {
      const row = JSON.parse(first) as unknown;
      return row && typeof row === 'object' && !Array.isArray(row) ? Object.keys(row) : [];
    } catch {
      return [];
    }
  }
  return [];
}

/** Which column roles a task needs (core/data/spec.ts ColumnsSchema). */
export const TASK_COLUMNS: Record<TaskId, ('text' | 'label' | 'targets' | 'tokens' | 'tags' | 'source' | 'target')[]> = {
  classification: ['text', 'label'],
  regression: ['text', 'targets'],
  tagging: ['tokens', 'tags'],
  'language-model': ['text'],
  seq2seq: ['source', 'target'],
};

/** A first guess for each role from common column names, falling back to position. */
export function guessColumns(task: TaskId, columns: string[]): Record<string, string> {
  const names: Record<string, string[]> = {
    text: ['text', 'sentence', 'review', 'content', 'document', 'input'],
    label: ['label', 'class', 'sentiment', 'category', 'target'],
    targets: ['target', 'value', 'y', 'score'],
    tokens: ['tokens', 'words', 'text'],
    tags: ['tags', 'labels', 'ner', 'pos'],
    source: ['source', 'src', 'input', 'question'],
    target: ['target', 'tgt', 'output', 'answer'],
  };
  const out: Record<string, string> = {};
  const roles = TASK_COLUMNS[task];
  roles.forEach((role, i) => {
    const hit = columns.find((c) => names[role]!.includes(c.toLowerCase()));
    const pick = hit ?? columns[i];
    if (pick) out[role] = pick;
  });
  return out;
}

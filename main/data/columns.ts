// Which column feeds which role, and one row → one Example for the task. When the user names no columns,
// they are guessed from common header names; when a needed column cannot be found, the error lists the
// columns the file has and names the column choice to make (the CLI adds its flag for it).
import type { Example } from '../../core/data/example.js';
import type { Columns, FileFormat, TaskId } from '../../core/data/spec.js';
import { TASKS } from '../../core/data/tasks.js';
import { DataImportError, type RowError } from './errors.js';
import { own } from '../../core/records/own.js';

const SYNONYMS: Record<keyof Columns, string[]> = {
  text: [
    'text',
    'sentence',
    'review',
    'content',
    'document',
    'body',
    'comment',
    'tweet',
    'message',
    'utterance',
    'x',
  ],
  label: ['label', 'class', 'category', 'sentiment', 'labels', 'y', 'target', 'tag'],
  targets: ['target', 'score', 'value', 'rating', 'y', 'label'],
  tokens: ['tokens', 'words', 'token', 'sentence', 'text'],
  tags: ['tags', 'ner_tags', 'pos_tags', 'labels', 'tag', 'label'],
  source: ['source', 'src', 'input', 'question', 'from', 'prompt'],
  target: ['target', 'tgt', 'output', 'answer', 'to', 'translation', 'response'],
};

/** The column choice (as the import wizard names it) that sets a role, for error messages. */
const CHOICE: Record<keyof Columns, string> = {
  text: 'text column',
  label: 'label column',
  targets: 'target column',
  tokens: 'tokens column',
  tags: 'tags column',
  source: 'source column',
  target: 'target column',
};

function find(names: readonly string[], role: keyof Columns, taken: Set<string>): string | undefined {
  const lower = names.map((n) => n.toLowerCase());
  for (const s of SYNONYMS[role]) {
    const i = lower.indexOf(s);
    if (i !== -1 && !taken.has(names[i]!)) return names[i];
  }
  return undefined;
}

/** The column a role most likely is, from its name (the first usual name the file has). */
export function guessColumn(names: readonly string[], role: keyof Columns): string | undefined {
  return find(names, role, new Set());
}

/** The task a file most likely holds, from its format and column names. */
export function guessTask(format: FileFormat, names: readonly string[]): TaskId {
  if (format === 'conll') return 'tagging';
  if (format === 'text' || format === 'lines' || names.length === 1) return 'language-model';
  const has = (role: keyof Columns) => find(names, role, new Set()) !== undefined;
  const lower = names.map((n) => n.toLowerCase());
  if (lower.includes('tokens') || lower.includes('words')) return 'tagging';
  if (has('source') && has('target') && !has('text')) return 'seq2seq';
  return 'classification';
}

/** Fills the columns the task needs: the user's choice, else a header-name guess, else a clear error. */
export function resolveColumns(task: TaskId, names: readonly string[], given: Columns = {}): Columns {
  const out: Columns = {};
  const taken = new Set<string>();
  for (const role of TASKS[task].columns.required) {
    if (role === 'targets') {
      const chosen =
        given.targets ??
        (given.label ? [given.label] : undefined) ??
        (() => {
          const g = find(names, 'targets', taken);
          return g ? [g] : undefined;
        })();
      for (const c of chosen ?? []) if (!names.includes(c)) throw missing(role, c, names);
      if (!chosen) throw missing(role, undefined, names);
      chosen.forEach((c) => taken.add(c));
      out.targets = chosen;
      continue;
    }
    // The CLI's --text-column / --label-column also name the tokens / tags columns of a tagging file.
    let chosen = given[role] ?? (role === 'tokens' ? given.text : role === 'tags' ? given.label : undefined);
    if (chosen !== undefined && !names.includes(chosen)) throw missing(role, chosen, names);
    chosen ??= find(names, role, taken);
    // Two-column files with unusual names: text is the first column, the answer the second.
    if (chosen === undefined && names.length === 2) chosen = names.find((n) => !taken.has(n));
    if (chosen === undefined) throw missing(role, undefined, names);
    taken.add(chosen);
    out[role] = chosen;
  }
  return out;
}

/** Roles that come with a second column (a text column alone cannot feed them). */
const TASK_NEEDS_TWO = new Set<keyof Columns>(['label', 'targets', 'tags', 'target', 'source']);

function missing(role: keyof Columns, chosen: string | undefined, names: readonly string[]): DataImportError {
  const list = names.length > 0 ? names.map((n) => `"${n}"`).join(', ') : '(none found)';
  const what = role === 'targets' ? 'target value' : role;
  const message = chosen
    ? `There is no column "${chosen}" (chosen for the ${what}). The columns are: ${list}.`
    : names.length === 1 && TASK_NEEDS_TWO.has(role)
      ? `This file has one column (${list}), but the task needs a ${CHOICE[role]} as well. ` +
        `Choose a file with that column, or another task.`
      : `Cannot tell which column holds the ${what}. The columns are: ${list}. Choose the ${CHOICE[role]}.`;
  return new DataImportError(message, 'columns', { field: role });
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function list(v: unknown): string[] | undefined {
  if (Array.isArray(v))
    return v.every((x) => typeof x === 'string' || typeof x === 'number') ? v.map(String) : undefined;
  const s = text(v);
  return s === undefined ? undefined : s.split(/\s+/).filter((t) => t !== '');
}

/** One row → an Example, or the reason it cannot be one. */
export function rowToExample(
  task: TaskId,
  columns: Columns,
  values: Record<string, unknown>,
  line: number,
): Example | RowError {
  const need = (role: 'text' | 'label' | 'source' | 'target', trim = false): string | RowError => {
    const name = columns[role]!;
    const v = text(own(values, name));
    if (v === undefined || v.trim() === '') {
      return {
        line,
        field: name,
        message:
          `column "${name}" is ` +
          `${v === undefined && own(values, name) !== undefined ? 'not text' : 'empty'}`,
      };
    }
    return trim ? v.trim() : v;
  };
  const isError = (x: unknown): x is RowError => typeof x === 'object';
  switch (task) {
    case 'classification': {
      const t = need('text');
      const l = need('label', true);
      return isError(t) ? t : isError(l) ? l : { text: t, label: l, line };
    }
    case 'regression': {
      const t = need('text');
      if (isError(t)) return t;
      const nums: number[] = [];
      for (const c of columns.targets!) {
        const raw = text(own(values, c));
        const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
        if (!Number.isFinite(n))
          return {
            line,
            field: c,
            message: `column "${c}" is not a number (${JSON.stringify(own(values, c) ?? '')})`,
          };
        nums.push(n);
      }
      return { text: t, values: nums, line };
    }
    case 'tagging': {
      const tokens = list(own(values, columns.tokens!));
      const tags = list(own(values, columns.tags!));
      if (!tokens || tokens.length === 0)
        return { line, field: columns.tokens, message: `column "${columns.tokens}" has no tokens` };
      if (!tags) return { line, field: columns.tags, message: `column "${columns.tags}" has no tags` };
      if (tokens.length !== tags.length) {
        return {
          line,
          field: columns.tags,
          message: `${tokens.length} tokens but ${tags.length} tags: they must align one to one`,
        };
      }
      return { tokens, tags, line };
    }
    case 'language-model': {
      const t = need('text');
      return isError(t) ? t : { text: t, line };
    }
    case 'seq2seq': {
      const s = need('source');
      const t = need('target');
      return isError(s) ? s : isError(t) ? t : { source: s, target: t, line };
    }
  }
}

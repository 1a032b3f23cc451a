// Form fields derived from a zod params schema, so the inspector never hand-codes a block's form: each
// field knows its type, default, range and choices from the schema the catalog (or the training config)
// already declares. Uses zod 4's JSON Schema view, which is stable public API.
import { z } from 'zod';
import { humanize, type FieldText } from '../../../core/catalog/field-text.js';
import { describeIssue } from '../../../core/catalog/zod-messages.js';

export type FieldType = 'number' | 'integer' | 'boolean' | 'enum' | 'string' | 'object' | 'json';

export interface FormField {
  name: string;
  /** What the form prints: the catalog's words for the field, else its name split into words. */
  label: string;
  unit?: string;
  help?: string;
  shownWhen?: FieldText['shownWhen'];
  type: FieldType;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  /** Exclusive bounds are shown as `> 0`. */
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  options?: (string | number | boolean)[];
  description?: string;
  required: boolean;
  /** A word accepted besides numbers (`auto` for the training workers), typed as is. */
  keyword?: string;
  /** Sub-fields of a nested object (e.g. a schedule or the wrapped layer). */
  fields?: FormField[];
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  description?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/** Bounds zod writes for "any safe integer" are no bound a person needs to read. */
const unbounded = (n: number | undefined) => n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER;

function fieldFrom(
  name: string,
  schema: JsonSchema,
  required: boolean,
  texts: Texts,
  path: string,
): FormField {
  // Optional values appear as anyOf [T, null]-style unions; look through a single non-null branch.
  const branches = (schema.anyOf ?? schema.oneOf ?? []).filter((b) => b.type !== 'null');
  const base: JsonSchema = branches.length === 1 ? { ...branches[0], ...stripUnion(schema) } : schema;
  const text = texts[path];
  const common = {
    name,
    label: text?.label ?? humanize(name),
    ...(text?.unit ? { unit: text.unit } : {}),
    ...(text?.help ? { help: text.help } : {}),
    ...(text?.shownWhen ? { shownWhen: text.shownWhen } : {}),
    required,
    ...(base.default !== undefined ? { default: base.default } : {}),
    ...(base.description ? { description: base.description } : {}),
  };
  const keyword = keywordOrNumber(branches);
  if (keyword) return { ...common, ...boundsOf(keyword.numeric), type: keyword.type, keyword: keyword.word };
  const literals =
    branches.length > 1 && branches.every((b) => b.const !== undefined) ? branches.map((b) => b.const) : null;
  const choices = base.enum ?? literals ?? (base.const !== undefined ? [base.const] : null);
  if (choices && choices.every((c) => ['string', 'number', 'boolean'].includes(typeof c))) {
    return { ...common, type: 'enum', options: choices as (string | number | boolean)[] };
  }
  const type = Array.isArray(base.type) ? base.type.find((t) => t !== 'null') : base.type;
  const bounds = boundsOf(base);
  if (type === 'integer') return { ...common, ...bounds, type: 'integer' };
  if (type === 'number') return { ...common, ...bounds, type: 'number' };
  if (type === 'boolean') return { ...common, type: 'boolean' };
  if (type === 'string') return { ...common, type: 'string' };
  if (type === 'object' && base.properties) {
    return { ...common, type: 'object', fields: fieldsOfJson(base, texts, `${path}.`) };
  }
  return { ...common, type: 'json' };
}

function boundsOf(base: JsonSchema) {
  const type = Array.isArray(base.type) ? base.type.find((t) => t !== 'null') : base.type;
  // A whole number above 0 is a whole number from 1: show it that way.
  const lowInt =
    type === 'integer' && typeof base.exclusiveMinimum === 'number'
      ? Math.floor(base.exclusiveMinimum) + 1
      : undefined;
  const highInt =
    type === 'integer' && typeof base.exclusiveMaximum === 'number'
      ? Math.ceil(base.exclusiveMaximum) - 1
      : undefined;
  const min = lowInt ?? base.minimum;
  const max = highInt ?? base.maximum;
  return {
    ...(!unbounded(min) ? { minimum: min } : {}),
    ...(!unbounded(max) ? { maximum: max } : {}),
    ...(lowInt === undefined && typeof base.exclusiveMinimum === 'number'
      ? { exclusiveMinimum: base.exclusiveMinimum }
      : {}),
    ...(highInt === undefined &&
    typeof base.exclusiveMaximum === 'number' &&
    !unbounded(base.exclusiveMaximum)
      ? { exclusiveMaximum: base.exclusiveMaximum }
      : {}),
  };
}

/** `'auto' | integer`-style unions: one string literal and one number branch. */
function keywordOrNumber(
  branches: JsonSchema[],
): { word: string; numeric: JsonSchema; type: 'integer' | 'number' } | null {
  if (branches.length !== 2) return null;
  const word = branches.find((b) => typeof b.const === 'string');
  const numeric = branches.find((b) => b.type === 'integer' || b.type === 'number');
  if (!word || !numeric) return null;
  return { word: word.const as string, numeric, type: numeric.type === 'integer' ? 'integer' : 'number' };
}

function stripUnion(schema: JsonSchema): JsonSchema {
  const { anyOf: _a, oneOf: _o, ...rest } = schema;
  return rest;
}

type Texts = Record<string, FieldText>;

function fieldsOfJson(schema: JsonSchema, texts: Texts, prefix: string): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, prop]) =>
    fieldFrom(name, prop, required.has(name), texts, `${prefix}${name}`),
  );
}

/**
 * The fields of an object schema, in declaration order, with the words `texts` gives each path
 * (`units`, `optimizer.learningRate`). Non-object schemas give no fields.
 */
export function formFields(schema: z.ZodType, texts: Texts = {}): FormField[] {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return [];
  }
  return fieldsOfJson(json, texts, '');
}

/** Is the field in play for these sibling values (e.g. momentum only for sgd and rmsprop)? */
export function isShown(field: FormField, siblings: Record<string, unknown>, all: FormField[]): boolean {
  if (!field.shownWhen) return true;
  const { field: name, is } = field.shownWhen;
  const value = siblings[name] ?? all.find((f) => f.name === name)?.default;
  return is.includes(value as string | number | boolean);
}

/** The allowed values in words: "a whole number from 1 to 4096", "a number above 0 and at most 10". */
export function ruleText(field: FormField): string {
  const what = field.type === 'integer' ? 'a whole number' : 'a number';
  const low = field.minimum ?? field.exclusiveMinimum;
  const high = field.maximum ?? field.exclusiveMaximum;
  if (field.minimum !== undefined && field.maximum !== undefined) return `${what} from ${low} to ${high}`;
  const parts: string[] = [];
  if (low !== undefined) parts.push(field.minimum !== undefined ? `at least ${low}` : `above ${low}`);
  if (high !== undefined) parts.push(field.maximum !== undefined ? `at most ${high}` : `below ${high}`);
  return parts.length > 0 ? `${what} ${parts.join(' and ')}` : what;
}

/** The short range under a field: "1 to 4096", "above 0, at most 10", "at least 0". */
export function rangeText(field: FormField): string {
  return ruleText(field)
    .replace(/^a (whole )?number ?/, '')
    .replace(/^from /, '')
    .replace(' and ', ', ');
}

/**
 * One error per field path (`units`, `schedule.warmup`), as what the value must be ("must be at least 1.").
 */
export function fieldErrors(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '(value)';
    out[path] ??= describeIssue(issue);
  }
  return out;
}

/** The field at a dotted path (`optimizer.learningRate`). */
export function fieldAt(fields: FormField[], path: string): FormField | undefined {
  const [head, ...rest] = path.split('.');
  const field = fields.find((f) => f.name === head);
  return rest.length === 0 ? field : fieldAt(field?.fields ?? [], rest.join('.'));
}

/** The sentence shown under a refused field, naming it and what it accepts. */
export function fieldMessage(field: FormField | undefined, value: unknown, problem: string): string {
  if (!field) return problem;
  const numeric = field.type === 'number' || field.type === 'integer';
  if (
    numeric &&
    (typeof value !== 'number' || !Number.isFinite(value) || /must be (at|more|less|a whole)/.test(problem))
  ) {
    return `${field.label} must be ${ruleText(field)}${field.unit ? ` (${field.unit})` : ''}.`;
  }
  return `${field.label} ${problem}`;
}

/** Reads what the user typed into a field as the value the schema expects (numbers stay numbers). */
export function coerceInput(field: FormField, text: string): unknown {
  if (field.type === 'number' || field.type === 'integer') {
    if (text.trim() === '') return undefined;
    if (field.keyword !== undefined && text.trim() === field.keyword) return field.keyword;
    const n = Number(text);
    return Number.isNaN(n) ? text : n;
  }
  if (field.type === 'enum') {
    const match = field.options?.find((o) => String(o) === text);
    return match ?? text;
  }
  return text;
}

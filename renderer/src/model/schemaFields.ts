// Form fields derived from a zod params schema, so the inspector never hand-codes a block's form: each
// field knows its type, default, range and choices from the schema the catalog (or the training config)
// already declares. Uses zod 4's JSON Schema view, which is stable public API.
import { z } from 'zod';

export type FieldType = 'number' | 'integer' | 'boolean' | 'enum' | 'string' | 'object' | 'json';

export interface FormField {
  name: string;
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

function fieldFrom(name: string, schema: JsonSchema, required: boolean): FormField {
  // Optional values appear as anyOf [T, null]-style unions; look through a single non-null branch.
  const branches = (schema.anyOf ?? schema.oneOf ?? []).filter((b) => b.type !== 'null');
  const base: JsonSchema = branches.length === 1 ? { ...branches[0], ...stripUnion(schema) } : schema;
  const common = {
    name,
    required,
    ...(base.default !== undefined ? { default: base.default } : {}),
    ...(base.description ? { description: base.description } : {}),
  };
  const keyword = keywordOrNumber(branches);
  if (keyword) return { ...common, ...boundsOf(keyword.numeric), type: keyword.type, keyword: keyword.word };
  const literals = branches.length > 1 && branches.every((b) => b.const !== undefined) ? branches.map((b) => b.const) : null;
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
    return { ...common, type: 'object', fields: fieldsOfJson(base) };
  }
  return { ...common, type: 'json' };
}

function boundsOf(base: JsonSchema) {
  return {
    ...(base.minimum !== undefined ? { minimum: base.minimum } : {}),
    ...(base.maximum !== undefined ? { maximum: base.maximum } : {}),
    ...(typeof base.exclusiveMinimum === 'number' ? { exclusiveMinimum: base.exclusiveMinimum } : {}),
    ...(typeof base.exclusiveMaximum === 'number' ? { exclusiveMaximum: base.exclusiveMaximum } : {}),
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

function fieldsOfJson(schema: JsonSchema): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, prop]) => fieldFrom(name, prop, required.has(name)));
}

/** The fields of an object schema, in declaration order. Non-object schemas give no fields. */
export function formFields(schema: z.ZodType): FormField[] {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return [];
  }
  return fieldsOfJson(json);
}

/** One error per field path (`units`, `schedule.warmup`), in the user's words, from a failed parse. */
export function fieldErrors(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.') || '(value)';
    out[path] ??= issue.message;
  }
  return out;
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

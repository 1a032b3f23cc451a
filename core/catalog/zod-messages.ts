// Turns zod issues into sentences that name the field and say what is allowed ("units must be at least
// 1", "name is missing: expected text"), for every place that parses user data (params, project files,
// training settings). zod's own default wording ("Too small: expected number to be >=1") is rewritten;
// a message a schema wrote itself is kept. Kept small and dependency-free so the UI shows the same words
// as the CLI.
import type { z } from 'zod';

/** `layer.params.units`, `graph.nodes[3].id`: a zod path in the notation users see in the inspector. */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export interface FieldProblem {
  field: string;
  message: string;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object { … }',
  array: 'a list [ … ]',
  record: 'an object { … }',
  literal: 'a fixed value',
};

// zod 4's built-in wording; anything else was written by a schema and is already in people's words.
const ZOD_DEFAULT = new RegExp(
  '^(Invalid input|Too small|Too big|Invalid option|Invalid key|Invalid element|Invalid string|' +
    'Invalid number|Unrecognized key)',
);

function quote(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** What the field must be, e.g. "must be at least 1", "is missing: expected text". */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return (
      `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}; remove or rename ` +
      `${issue.keys.length > 1 ? 'them' : 'it'}.`
    );
  }
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (/received undefined$/.test(issue.message)) return `is missing: expected ${expected}.`;
      if (issue.expected === 'int') return 'must be a whole number.';
      return `must be ${expected}.`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'must not be empty.' : `must have at least ${min} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `must have at least ${min} item${min === '1' ? '' : 's'}.`;
      return issue.inclusive ? `must be at least ${min}.` : `must be more than ${min}.`;
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return `must have at most ${max} characters.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${max} items.`;
      return issue.inclusive ? `must be at most ${max}.` : `must be less than ${max}.`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${quote(issue.values[0])}.`
        : `must be one of ${issue.values.map(quote).join(', ')}.`;
    case 'not_multiple_of':
      return Number(issue.divisor) === 1
        ? 'must be a whole number.'
        : `must be a multiple of ${String(issue.divisor)}.`;
    case 'invalid_union':
      return 'does not match any of the allowed forms.';
    default:
      return issue.message;
  }
}

export function zodProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = fieldPath(issue.path, prefix);
    const where = field || '(top level)';
    const text = describeIssue(issue);
    // "units must be at least 1." reads as a sentence; a schema's own message follows a colon.
    const sentence = text !== issue.message && issue.code !== 'unrecognized_keys';
    return { field: where, message: sentence ? `${where} ${text}` : `${where}: ${text}` };
  });
}

// Turns zod issues into sentences that name the field, for every place that parses user data (params,
// project files). Kept small and dependency-free so the UI shows the same words as the CLI.
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

export function zodProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => {
    const field = fieldPath(issue.path, prefix);
    const where = field || '(top level)';
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return { field: where, message: `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}; remove or rename ${issue.keys.length > 1 ? 'them' : 'it'}.` };
    }
    return { field: where, message: `${where}: ${issue.message}` };
  });
}

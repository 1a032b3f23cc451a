// The import options as the caller gave them (CLI flags, the wizard, the host API), checked once for the
// import and for its preview: a bad option is a DataImportError that names the field.
import { ImportOptionsSchema, type ImportOptions } from '../../core/data/import-options.js';
import { DataImportError } from './errors.js';

export function parseImportOptions(rawOptions: ImportOptions | Record<string, unknown>): ImportOptions {
  const parsed = ImportOptionsSchema.safeParse(rawOptions);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new DataImportError(
    `Import option ${issue.path.join('.') || '(options)'}: ${issue.message}.`,
    'format',
    { field: issue.path.join('.') },
  );
}

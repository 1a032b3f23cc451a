// What the user chooses when importing a file (wizard, CLI flags, host call). Everything is optional:
// the format comes from the file name, the task and columns are guessed from the header, the tokenizer
// defaults by task. Validated with zod so a bad option is refused naming the field.
import { z } from 'zod';
import { TEXT_ENCODINGS } from './sniff.js';
import {
  ColumnsSchema,
  FileFormatSchema,
  TaskIdSchema,
  TokenizerKindSchema,
  type TaskId,
  type TokenizerKind,
} from './spec.js';

export const ImportOptionsSchema = z
  .object({
    task: TaskIdSchema.optional(),
    format: FileFormatSchema.optional(),
    delimiter: z.string().min(1).max(4).optional(),
    /** The first row holds column names; absent = guessed from the first rows (CSV/TSV). */
    header: z.boolean().optional(),
    /**
     * The file's text encoding; absent or 'auto' = detected (UTF-8, UTF-16 by its BOM, else Windows-1252).
     */
    encoding: z.enum(['auto', ...TEXT_ENCODINGS]).optional(),
    /** Stop at the first bad row (with its line) instead of skipping it. */
    strict: z.boolean().optional(),
    columns: ColumnsSchema.optional(),
    tokenizer: z
      .object({
        kind: TokenizerKindSchema.optional(),
        lowercase: z.boolean().optional(),
        minFrequency: z.number().int().min(1).optional(),
        maxSize: z.number().int().min(8).max(1_000_000).optional(),
      })
      .strict()
      .optional(),
    maxLength: z.number().int().min(1).max(100_000).optional(),
    split: z
      .object({
        validation: z.number().min(0).max(0.9).optional(),
        test: z.number().min(0).max(0.9).optional(),
        seed: z.number().int().optional(),
      })
      .strict()
      .optional(),
    /** Copy the file into the project (true), reference it by path (false), or embed when small ('auto'). */
    embed: z.union([z.boolean(), z.literal('auto')]).optional(),
  })
  .strict();
export type ImportOptions = z.input<typeof ImportOptionsSchema>;

/** The tokenizer a task starts with when the user picks none. */
export function defaultTokenizer(task: TaskId): TokenizerKind {
  return task === 'language-model' || task === 'seq2seq' ? 'character' : 'word';
}

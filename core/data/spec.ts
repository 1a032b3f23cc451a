// What a dataset is, as saved in project.json: where the examples come from (a seeded generator, a file
// embedded in the project zip, or a file referenced by path), which columns feed which role for the task,
// how text becomes ids (tokenizer + the saved vocabulary, so predictions use the same mapping) and how it
// is split and batched. Plain zod data: the UI, the project store and the CLI all validate with it.
import { z } from 'zod';
import { TEXT_ENCODINGS } from './sniff.js';

export const TASK_IDS = ['classification', 'regression', 'tagging', 'language-model', 'seq2seq'] as const;
export const TaskIdSchema = z.enum(TASK_IDS);
export type TaskId = z.infer<typeof TaskIdSchema>;

/**
 * File formats the importers read. `text` = the whole file is one document (language model);
 * `lines` = one example per line; `conll` = one token and its tag per line, sentences separated by a
 * blank line (CoNLL-style tagging files).
 */
export const FileFormatSchema = z.enum(['csv', 'tsv', 'jsonl', 'text', 'lines', 'conll']);
export type FileFormat = z.infer<typeof FileFormatSchema>;

export const FormatOptionsSchema = z
  .object({
    /** Field separator for csv/tsv; absent = detected (csv) or tab (tsv). */
    delimiter: z.string().min(1).max(4).optional(),
    /** First row holds column names. Without a header, columns are named by position: '1', '2', … */
    header: z.boolean().default(true),
    /**
     * The text encoding the file was read with (detected at import, or chosen), so it reads the same again.
     */
    encoding: z.enum(TEXT_ENCODINGS).default('utf-8'),
    /** Stop at the first bad row instead of skipping it and reporting its line. */
    strict: z.boolean().default(false),
  })
  .strict();
export type FormatOptions = z.infer<typeof FormatOptionsSchema>;

export const GeneratorSourceSchema = z
  .object({
    kind: z.literal('generator'),
    /** A name from core/data/generators (e.g. 'adding-problem', 'date-formats'). */
    name: z.string().min(1),
    params: z.record(z.string(), z.unknown()).default({}),
    seed: z.number().int().default(1),
  })
  .strict();

export const EmbeddedSourceSchema = z
  .object({
    kind: z.literal('embedded'),
    /** Path inside the project zip, e.g. 'data/reviews.csv'. */
    entry: z.string().min(1),
    format: FileFormatSchema,
    options: FormatOptionsSchema.default({ header: true, encoding: 'utf-8', strict: false }),
  })
  .strict();

export const FileSourceSchema = z
  .object({
    kind: z.literal('file'),
    /** Absolute path, or relative to the project file's folder. */
    path: z.string().min(1),
    format: FileFormatSchema,
    options: FormatOptionsSchema.default({ header: true, encoding: 'utf-8', strict: false }),
    /** Size and modification time when imported, so a moved or changed file is reported clearly. */
    size: z.number().int().nonnegative().optional(),
    modified: z.string().optional(),
  })
  .strict();

export const DataSourceSchema = z.discriminatedUnion('kind', [
  GeneratorSourceSchema,
  EmbeddedSourceSchema,
  FileSourceSchema,
]);
export type DataSource = z.infer<typeof DataSourceSchema>;

/**
 * Which column (csv/tsv header name, JSONL key, or 1-based position without a header) feeds which role.
 * classification: text + label; regression: text + targets; tagging: tokens + tags (whitespace separated
 * strings, or JSON arrays in JSONL); language-model: text; seq2seq: source + target.
 */
export const ColumnsSchema = z
  .object({
    text: z.string().min(1).optional(),
    label: z.string().min(1).optional(),
    targets: z.array(z.string().min(1)).min(1).optional(),
    tokens: z.string().min(1).optional(),
    tags: z.string().min(1).optional(),
    source: z.string().min(1).optional(),
    target: z.string().min(1).optional(),
  })
  .strict();
export type Columns = z.infer<typeof ColumnsSchema>;

export const TokenizerKindSchema = z.enum(['character', 'word', 'subword']);
export type TokenizerKind = z.infer<typeof TokenizerKindSchema>;

export const TokenizerSpecSchema = z
  .object({
    kind: TokenizerKindSchema,
    /** Case folding before tokenizing (word, subword). Character tokens keep case so text round-trips. */
    lowercase: z.boolean().default(false),
    /** Tokens seen fewer times than this become <unk> (word; subword falls back to bytes instead). */
    minFrequency: z.number().int().min(1).default(1),
    /**
     * Largest vocabulary, reserved symbols included; for subword, the BPE target size. The always-kept
     * symbols set a floor: 21 for character (4 reserved + 17 escape tokens), 260 for subword (+ 256 bytes).
     */
    maxSize: z.number().int().min(8).max(1_000_000).optional(),
    /** Learned BPE merges in order, each a pair of symbols (subword only). */
    merges: z.array(z.tuple([z.string(), z.string()])).optional(),
  })
  .strict();
export type TokenizerSpec = z.infer<typeof TokenizerSpecSchema>;

export const SplitSchema = z
  .object({
    validation: z.number().min(0).max(0.9).default(0.1),
    test: z.number().min(0).max(0.9).default(0.1),
    seed: z.number().int().default(1),
  })
  .strict()
  .refine((s) => s.validation + s.test < 1, { message: 'validation + test must leave some training data' });
export type Split = z.infer<typeof SplitSchema>;

export const BucketingSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** How many batches are sorted by length together (a window of batchSize × pool examples). */
    pool: z.number().int().min(1).max(1000).default(50),
  })
  .strict();
export type Bucketing = z.infer<typeof BucketingSchema>;

export const DatasetSpecSchema = z
  .object({
    task: TaskIdSchema,
    source: DataSourceSchema,
    columns: ColumnsSchema.default({}),
    tokenizer: TokenizerSpecSchema.default({ kind: 'character', lowercase: false, minFrequency: 1 }),
    /** The saved token list: id = index. Ids 0-3 are <pad>, <unk>, <s>, </s>. Absent until built. */
    vocabulary: z.array(z.string()).optional(),
    /** Class names (classification) or tag names (tagging): id = index. Absent until built. */
    labels: z.array(z.string()).optional(),
    /** Longest sequence in tokens; longer ones are truncated (source and target each, for seq2seq). */
    maxLength: z.number().int().min(1).max(100_000).default(200),
    split: SplitSchema.default({ validation: 0.1, test: 0.1, seed: 1 }),
    /**
     * Examples the import kept (next-token windows, for one long document): what training is sized to
     * (core/training/sizing.ts) and the short-run warning reads. Absent for generated data.
     */
    examples: z.number().int().nonnegative().optional(),
    bucketing: BucketingSchema.default({ enabled: true, pool: 50 }),
  })
  .strict();
export type DatasetSpec = z.infer<typeof DatasetSpecSchema>;
export type DatasetSpecInput = z.input<typeof DatasetSpecSchema>;

export { TASKS, type TaskInfo, type LossId, type MetricId, expectedHeadUnits } from './tasks.js';

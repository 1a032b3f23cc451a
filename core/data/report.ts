// What the host answers to a data import and a dataset preview, as zod schemas: the statistics the Data
// tab draws, the first rows, the rows skipped with their lines and the graph sizes fitted to the data.
// The types in stats.ts, scan.ts and graph/fit.ts are the ones the code builds; a type-level test keeps
// these schemas equal to them.
import { z } from 'zod';
import { DatasetSpecSchema } from './spec.js';
import { ImportReportSchema } from './importReport.js';

const LengthStatsSchema = z.object({
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  median: z.number(),
  p95: z.number(),
  histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
});

export const DatasetStatsSchema = z.object({
  examples: z.number(),
  truncated: z.number(),
  lengths: LengthStatsSchema,
  vocabulary: z.object({ size: z.number(), tokens: z.number(), unknown: z.number(), coverage: z.number() }),
  labels: z.array(z.object({ label: z.string(), count: z.number(), fraction: z.number() })).optional(),
  bucketing: z
    .object({
      batchSize: z.number(),
      randomPadded: z.number(),
      bucketedPadded: z.number(),
      saved: z.number(),
    })
    .optional(),
  sampled: z.number().optional(),
  balance: z.object({ ratio: z.number(), warning: z.string().optional() }).optional(),
});

/** One preview row: column name to text, number or tokens. */
export const PreviewRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]));

/** A row skipped by an import, with its 1-based line. */
export const RowErrorSchema = z.object({
  line: z.number(),
  message: z.string(),
  field: z.string().optional(),
  /** The same for every row skipped for this cause ("wrong number of fields"), to count them together. */
  reason: z.string().optional(),
});

/** A graph size changed to fit the data (embedding vocabulary, head units, …). */
export const FitChangeSchema = z.object({
  node: z.string(),
  field: z.string(),
  from: z.unknown(),
  to: z.number(),
});

export const DataImportResultSchema = z.object({
  spec: DatasetSpecSchema,
  stats: DatasetStatsSchema,
  preview: z.object({ columns: z.array(z.string()), rows: z.array(PreviewRowSchema) }),
  errors: z.array(RowErrorSchema),
  errorCount: z.number(),
  /** The zip entry the data was copied to, when embedded. */
  entry: z.string().optional(),
  fitted: z.array(FitChangeSchema),
  rows: z.array(PreviewRowSchema),
  columns: z.array(z.string()),
  /** How the file was read, rows kept and skipped by reason with their first lines. */
  report: ImportReportSchema,
  /**
   * How the import sized training: epochs (the step budget at this batch size) and early-stopping patience.
   */
  training: z.object({ epochs: z.number(), patience: z.number(), steps: z.number(), batchSize: z.number() }),
});

/** The project's dataset as the Data tab shows it; without a dataset, `spec` and `stats` are null. */
export const DataPreviewSchema = z.object({
  spec: DatasetSpecSchema.nullable(),
  stats: DatasetStatsSchema.nullable(),
  rows: z.array(PreviewRowSchema),
  warnings: z.array(z.string()),
  /** Why there is nothing to show, when there is not. */
  message: z.string().optional(),
});

export type DataImportResult = z.infer<typeof DataImportResultSchema>;
export type DataPreview = z.infer<typeof DataPreviewSchema>;

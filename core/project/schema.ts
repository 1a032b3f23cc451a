// project.json, the heart of a .rnnproj file: a versioned zod schema. Older versions are migrated forward
// (migrations/) before this schema parses them, so only the current shape is known to the rest of the app.
import { z } from 'zod';
import { DatasetSpecSchema, TaskIdSchema } from '../data/spec.js';
import { GraphSchema, NodeIdSchema } from '../graph/schema.js';
import { TrainingConfigSchema } from '../training/config.js';

/** The format this build writes. Bump it only with a migration in migrations/ and a fixture per version. */
export const CURRENT_FORMAT_VERSION = 3;

const Position = z.strictObject({ x: z.number().finite(), y: z.number().finite() });

export const LayoutSchema = z.strictObject({
  /** Canvas position of each block, by node id. Blocks without one are placed automatically. */
  nodes: z.record(NodeIdSchema, Position).default({}),
  viewport: z
    .strictObject({ x: z.number().finite(), y: z.number().finite(), zoom: z.number().positive().max(100) })
    .optional(),
});

const metricValues = z.record(z.string().max(64), z.number());

/**
 * A word the user files runs under ("baseline", "lr sweep"): trimmed, never empty, short enough for a chip.
 */
export const RunTagSchema = z
  .string()
  .trim()
  .min(1, 'a tag needs at least one character')
  .max(40, 'a tag has at most 40 characters');
export const MAX_RUN_TAGS = 20;
export const RunNoteSchema = z.string().max(5000, 'a note has at most 5000 characters');

/** What project.json remembers of a run; the full telemetry lives in history/<run id>.ndjson. */
export const RunSummarySchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a run id has 1 to 64 letters, digits, "_" or "-"'),
  name: z.string().max(200),
  startedAt: z.string().max(64),
  endedAt: z.string().max(64).optional(),
  status: z.enum(['running', 'completed', 'stopped', 'failed']),
  epochs: z.number().int().nonnegative(),
  /** Batches trained so far (the global step of the last recorded event). */
  steps: z.number().int().nonnegative().optional(),
  /**
   * While running: the process recording the run (the studio or the CLI). A later open finds a run still
   * marked running whose process is gone (killed), and lists it as stopped at its last step.
   */
  pid: z.number().int().positive().optional(),
  backend: z.string().max(64).optional(),
  /** Settings of this run, as trained (compared side by side in the Runs tab). */
  training: z.record(z.string(), z.unknown()).optional(),
  best: metricValues.default({}),
  final: metricValues.default({}),
  /** Entry names inside the zip: `checkpoints/<run>/…`, `history/<run>.ndjson`. */
  checkpoint: z.string().max(256).optional(),
  history: z.string().max(256).optional(),
  /** The user's own words about the run (what was tried, what was seen); training never writes them. */
  note: RunNoteSchema.default(''),
  /** The user's labels for finding runs again (the Runs tab filters by them). */
  tags: z.array(RunTagSchema).max(MAX_RUN_TAGS, `a run has at most ${MAX_RUN_TAGS} tags`).default([]),
});

export const ProjectSchema = z.strictObject({
  formatVersion: z.literal(CURRENT_FORMAT_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).default(''),
  task: TaskIdSchema,
  graph: GraphSchema,
  layout: LayoutSchema.prefault({}),
  /** Absent until the user picks data. */
  dataset: DatasetSpecSchema.optional(),
  training: TrainingConfigSchema.prefault({}),
  runs: z.array(RunSummarySchema).max(10_000).default([]),
});

export type ProjectDoc = z.output<typeof ProjectSchema>;
export type ProjectDocInput = z.input<typeof ProjectSchema>;
export type RunSummary = z.output<typeof RunSummarySchema>;
export type Layout = z.output<typeof LayoutSchema>;

// Payload schemas shared by the calls of the host API. Kept apart from the channel map so the map reads
// as a table of contents.
import { z } from 'zod';
import { ProjectSchema } from '../project/schema.js';
import { BackendChoiceSchema } from './backends.js';

export const ProjectId = z.string().min(1).max(64);

/**
 * The project document as the renderer sends it back after an edit: the document a session answer gave it
 * (core/project's ProjectSchema, current format), with the user's changes to the graph, layout, task,
 * dataset and training settings. Checked at the boundary like every payload, so a malformed edit is
 * refused there with the field at fault named (`doc.graph.nodes[0].id`); older formats are migrated only
 * when a file is opened, never on update.
 */
export const ProjectDocPayload = ProjectSchema;

export const DiagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  node: z.string().optional(),
  port: z.string().optional(),
  edge: z.string().optional(),
  field: z.string().optional(),
});

export const ProjectSession = z.object({
  projectId: ProjectId,
  path: z.string().nullable(),
  name: z.string(),
  /** The current document, valid against core/project's schema (the store keeps only parsed documents). */
  doc: ProjectSchema,
  dirty: z.boolean(),
  diagnostics: z.array(DiagnosticSchema),
});

export const TemplateInfo = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  task: z.string(),
});

export const RecentProject = z.object({ path: z.string(), name: z.string(), openedAt: z.string() });

export const RecoverableProject = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string().nullable(),
  savedAt: z.string(),
});

/** A file sent from the renderer (a browser cannot hand over a path): name plus base64 bytes. */
export const UploadedFile = z.object({
  fileName: z.string().min(1).max(255),
  dataBase64: z.string().max(280_000_000),
});

export const FileSource = z.union([z.object({ path: z.string().min(1) }), UploadedFile]);

export const NodeSummary = z.object({
  node: z.string(),
  kind: z.string(),
  outputs: z.record(z.string(), z.array(z.union([z.number(), z.string()]))),
  params: z.number().int().nonnegative(),
});

export const TrainOptions = z.object({
  epochs: z.number().int().positive().max(100_000).optional(),
  backend: BackendChoiceSchema.optional(),
  resume: z.boolean().optional(),
  learningRate: z.number().positive().optional(),
  runName: z.string().max(200).optional(),
});

export const RunRef = z.object({ runId: z.string().min(1).max(64) });

export const ExportFormat = z.enum(['tfjs', 'pytorch', 'json']);

export const GeneratedFile = z.object({ path: z.string(), text: z.string() });

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'web']),
  platform: z.string(),
  backends: z.array(z.object({ name: z.string(), available: z.boolean(), note: z.string().optional() })),
});

export const Ok = z.object({ ok: z.literal(true) });

// The host API: every call and event stream between the studio's UI and the machine, in one map.
// Electron's preload and the web host's client both implement `HostApi` from this map; main-side
// handlers validate every request with the same schemas before acting. Nobody writes channel strings by
// hand: they are the keys below.
import { z } from 'zod';
import {
  AppInfo,
  DiagnosticSchema,
  ExportFormat,
  FileSource,
  GeneratedFile,
  NodeSummary,
  Ok,
  ProjectDocPayload,
  ProjectId,
  ProjectSession,
  RecentProject,
  RecoverableProject,
  RunRef,
  TemplateInfo,
  TrainOptions,
  UploadedFile,
} from './schemas.js';
import { GenerateResultSchema, InsideResultSchema, PredictResultSchema } from './playground.js';
import { DataImportResultSchema, DataPreviewSchema } from '../data/report.js';
import { ImportOptionsSchema } from '../data/import-options.js';
import { MAX_RUN_TAGS, RunNoteSchema, RunSummarySchema, RunTagSchema } from '../project/schema.js';
import { TelemetryEventSchema } from '../telemetry/events.js';
import { HistoryEntrySchema } from '../telemetry/history.js';
import { ImportPreviewSchema } from '../data/importReport.js';
import { EvaluationReportSchema } from '../training/evaluationReport.js';

const none = z.object({}).strict();
const project = z.object({ projectId: ProjectId }).strict();

function call<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

export const calls = {
  'app.info': call(none, AppInfo),

  'templates.list': call(none, z.array(TemplateInfo)),

  'project.create': call(z.object({ templateId: z.string().min(1) }).strict(), ProjectSession),
  'project.open': call(z.object({ path: z.string().min(1) }).strict(), ProjectSession),
  'project.import': call(UploadedFile.strict(), ProjectSession),
  'project.get': call(project, ProjectSession),
  'project.update': call(
    z.object({ projectId: ProjectId, doc: ProjectDocPayload }).strict(),
    z.object({ dirty: z.boolean(), diagnostics: z.array(DiagnosticSchema) }),
  ),
  'project.save': call(
    z.object({ projectId: ProjectId, path: z.string().min(1).optional() }).strict(),
    z.object({ path: z.string() }),
  ),
  'project.download': call(project, z.object({ fileName: z.string(), dataBase64: z.string() })),
  /**
   * Releases a project the user is done with (saved, or its changes discarded) and deletes its autosave;
   * refused while a run trains on it. A project never closed stays recoverable.
   */
  'project.close': call(project, Ok),
  'project.recent': call(none, z.array(RecentProject)),
  'project.recoverable': call(none, z.array(RecoverableProject)),
  'project.recover': call(z.object({ id: z.string().min(1) }).strict(), ProjectSession),
  /** Deletes an autosave the user does not want back (it leaves the recovery list). */
  'project.discardRecovery': call(z.object({ id: z.string().min(1) }).strict(), Ok),
  /** Where Save would put this project: its own file, else the workspace folder (never the host's cwd). */
  'project.suggestPath': call(project, z.object({ path: z.string(), folder: z.string() })),
  'project.summary': call(project, z.array(NodeSummary)),

  'data.import': call(
    z.object({ projectId: ProjectId, source: FileSource, options: ImportOptionsSchema }).strict(),
    DataImportResultSchema,
  ),
  'data.preview': call(project, DataPreviewSchema),
  /**
   * How a file would be imported, before importing it: format, encoding, delimiter, header, first rows,
   * columns picked. An upload may carry only the file's first bytes; `fileSize` is then its whole size.
   */
  'data.inspect': call(
    z
      .object({
        projectId: ProjectId,
        source: FileSource,
        options: ImportOptionsSchema,
        fileSize: z.number().int().nonnegative().optional(),
      })
      .strict(),
    ImportPreviewSchema,
  ),
  /** Scores the trained model on a file in the project's format (the studio's "Evaluate on a file…"). */
  'data.evaluate': call(
    z.object({ projectId: ProjectId, source: FileSource }).strict(),
    EvaluationReportSchema,
  ),
  /** Predicts every row of a file; the predictions come back as the text of a JSONL or CSV file. */
  'data.predictFile': call(
    z
      .object({
        projectId: ProjectId,
        source: FileSource,
        format: z.enum(['jsonl', 'csv']),
        column: z.string().min(1).optional(),
      })
      .strict(),
    z.object({
      fileName: z.string(),
      text: z.string(),
      rows: z.number().int().nonnegative(),
      column: z.string(),
      skipped: z.number().int().nonnegative(),
    }),
  ),
  /** Cancel long work that reports `progress` events (an import, an export), by the id they carry. */
  'progress.cancel': call(
    z.object({ id: z.string().min(1).max(200) }).strict(),
    z.object({ cancelled: z.boolean() }),
  ),

  'training.start': call(
    z.object({ projectId: ProjectId, options: TrainOptions }).strict(),
    z.object({ runId: z.string() }),
  ),
  'training.pause': call(RunRef.strict(), Ok),
  'training.resume': call(RunRef.strict(), Ok),
  'training.stop': call(RunRef.strict(), Ok),

  'runs.list': call(project, z.array(RunSummarySchema)),
  /**
   * The user's note and/or tags on a run (past or training now), each replacing the old value; answers
   * the run as now recorded. Stored in the project's run history: unsaved until the project is saved.
   */
  'runs.annotate': call(
    z
      .object({
        projectId: ProjectId,
        runId: z.string().min(1),
        note: RunNoteSchema.optional(),
        tags: z.array(RunTagSchema).max(MAX_RUN_TAGS, `a run has at most ${MAX_RUN_TAGS} tags`).optional(),
      })
      .strict(),
    RunSummarySchema,
  ),
  // A run's telemetry events in order. With `from`/`limit`, one page: one element per stored event from
  // offset `from` (offsets are stable while the run appends), at most `limit` and about 1 MB, so a
  // 100,000-batch history is never one giant message to parse on the UI's thread. The next page starts at
  // `from + page.length`; an empty page is the end. Without them, the whole history. Events come upgraded
  // to the current telemetry version; a line that cannot be read is an `unreadable` entry in its place.
  'runs.history': call(
    z
      .object({
        projectId: ProjectId,
        runId: z.string(),
        from: z.number().int().nonnegative().optional(),
        limit: z.number().int().positive().max(100_000).optional(),
      })
      .strict(),
    z.array(HistoryEntrySchema),
  ),

  'playground.predict': call(
    z.object({ projectId: ProjectId, input: z.string().max(100_000) }).strict(),
    PredictResultSchema,
  ),
  /**
   * Gate activations and hidden states of every recurrent layer for a typed input (seq2seq: the source,
   * and the greedy translation the decoder reads), from the trained model in inference mode.
   */
  'playground.inside': call(
    z.object({ projectId: ProjectId, input: z.string().max(100_000) }).strict(),
    InsideResultSchema,
  ),
  'playground.generate': call(
    z
      .object({
        projectId: ProjectId,
        seed: z.string().max(10_000),
        length: z.number().int().positive().max(10_000),
        temperature: z.number().positive().max(10),
        topK: z.number().int().nonnegative().max(100_000).optional(),
      })
      .strict(),
    GenerateResultSchema,
  ),

  'export.preview': call(
    z.object({ projectId: ProjectId, format: ExportFormat }).strict(),
    z.object({ files: z.array(GeneratedFile) }),
  ),
  'export.write': call(
    z.object({ projectId: ProjectId, format: ExportFormat, outDir: z.string().min(1) }).strict(),
    z.object({ files: z.array(z.string()) }),
  ),
} as const;

/** Streams from the machine to the UI. */
export const events = {
  /** One telemetry event of a run (core/telemetry), tagged with the run it belongs to. */
  'training.event': z.object({ runId: z.string(), projectId: z.string(), event: TelemetryEventSchema }),
  /** Progress of long work (imports, exports), 0..1, cancellable by its id. */
  progress: z.object({ id: z.string(), label: z.string(), fraction: z.number().min(0).max(1) }),
  /** A native menu command (Electron only): New, Open, Save, … */
  'menu.command': z.object({
    command: z.enum(['new', 'open', 'save', 'save-as', 'import', 'export', 'open-recent', 'undo', 'redo']),
    path: z.string().optional(),
  }),
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
export type CallRequest<K extends CallName> = z.input<(typeof calls)[K]['request']>;
export type CallResponse<K extends CallName> = z.output<(typeof calls)[K]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

/** What the UI holds: one object, implemented by the Electron preload and by the web host client. */
export interface HostApi {
  readonly kind: 'electron' | 'web';
  call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>>;
  /** Subscribe to an event stream; returns the function that unsubscribes. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The main-side half: one handler per call, request already validated. */
export type HostHandlers = {
  [K in CallName]: (request: z.output<(typeof calls)[K]['request']>) => Promise<CallResponse<K>>;
};

/** How a failed call reaches the UI: what went wrong, where, in the user's words. */
export const HostErrorSchema = z.object({
  code: z.enum(['invalid-request', 'not-found', 'invalid-input', 'internal', 'forbidden']),
  message: z.string(),
  where: z.string().optional(),
});
export type HostError = z.infer<typeof HostErrorSchema>;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

// The project file's public face: schema, parse (with migrations), canonical serialisation.
export {
  CURRENT_FORMAT_VERSION,
  ProjectSchema,
  RunSummarySchema,
  RunNoteSchema,
  RunTagSchema,
  MAX_RUN_TAGS,
  LayoutSchema,
  type ProjectDoc,
  type ProjectDocInput,
  type RunSummary,
  type Layout,
} from './schema.js';
export { annotateRun, normalizeTags, tagsInUse, type RunAnnotation } from './runNotes.js';
export { parseProject, serializeProject, type ParseProjectResult } from './parse.js';
export { OLDEST_FORMAT_VERSION, migrations } from './migrations/index.js';
export { analyzeProject, dataFactsOf } from './validate.js';
export { parseTemplate, TemplateMetaSchema, type Template, type TemplateMeta } from './template.js';
export {
  ARCHITECTURE_FORMAT,
  ArchitectureSchema,
  toArchitecture,
  serializeArchitecture,
  isArchitecture,
  parseArchitecture,
  type Architecture,
} from './architecture.js';

// The project store and its parts, for the host handlers, Electron and the CLI.
export { ProjectStore, type ProjectSession, type ProjectStoreOptions } from './store.js';
export { ProjectError, DEFAULT_LIMITS, type ImportLimits } from './limits.js';
export { atomicWrite, cleanupProjectTemps, cleanupTempFiles, processAlive } from './atomic.js';
export { markInterruptedRuns } from './interruptedRuns.js';
export { readProjectZip } from './zip-read.js';
export { writeProjectZip } from './zip-write.js';
export { listTemplates, loadTemplate, type TemplateInfo } from './templates.js';
export { projectFromJson } from './from-json.js';
export {
  readProjectFile,
  projectFromBytes,
  writeProjectFile,
  newProjectFile,
  type ProjectFile,
} from './files.js';

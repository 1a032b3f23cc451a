// Monaco, bundled locally (no CDN): the editor core, JSON with schema validation, and Python/JavaScript
// colouring for the export previews. Workers come from Vite `?worker` imports, so they ship in the build.
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import * as jsonContribution from 'monaco-editor/esm/vs/language/json/monaco.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/python/python.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/javascript/javascript.contribution.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker.js?worker';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker: (_id, label) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

interface JsonDefaults {
  setDiagnosticsOptions(options: {
    validate: boolean;
    allowComments?: boolean;
    schemas: { uri: string; fileMatch: string[]; schema: unknown }[];
  }): void;
}

/** Monaco's JSON language validates models whose URI matches against this JSON Schema. */
export function useJsonSchema(uri: string, fileMatch: string, schema: unknown): void {
  const { jsonDefaults } = jsonContribution as unknown as { jsonDefaults: JsonDefaults };
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    schemas: [{ uri, fileMatch: [fileMatch], schema }],
  });
}

/** Follows the system theme, like the rest of the studio. */
export function themeName(): string {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'vs-dark' : 'vs';
}

export { monaco };

// The backend ladder's rungs, top first (DESIGN.md, Engine), and what a user may ask for: one list shared
// by the CLI, the host API's training options, the engine process and the studio's training settings.
import { z } from 'zod';

export const BACKENDS = ['webgpu', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

export const BackendChoiceSchema = z.enum(['auto', ...BACKENDS]);

export function isBackendChoice(value: string): value is BackendChoice {
  return value === 'auto' || (BACKENDS as readonly string[]).includes(value);
}

/** For help texts and errors: `auto, webgpu, tensorflow-gpu, tensorflow, wasm or cpu`. */
export const BACKEND_CHOICES_TEXT =
  `auto, ${BACKENDS.slice(0, -1).join(', ')} or ` + `${BACKENDS[BACKENDS.length - 1]}`;

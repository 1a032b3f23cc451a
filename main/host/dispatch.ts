// One place where a call from the UI is checked and run, shared by the Electron IPC adapter and the web
// host: the channel must exist, the payload must match its schema, and a failure becomes a HostError
// that says what is wrong and where, never a stack trace.
import type { z } from 'zod';
import { calls, isCallName, type HostError, type HostHandlers } from '../../core/api/contract.js';
import { zodProblems } from '../../core/catalog/zod-messages.js';

/** An error a handler throws on purpose, with the code and place the UI shows. */
export class HostFault extends Error {
  constructor(
    readonly code: HostError['code'],
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = 'HostFault';
  }
}

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: HostError };

/**
 * The first problem in the user's words with the field it is in (`doc.graph.nodes[0].id must not be empty.`).
 */
function describeZodError(error: z.ZodError): { message: string; where?: string } {
  const first = error.issues[0];
  const problem = zodProblems(error)[0];
  if (!first || !problem) return { message: 'The request is malformed.' };
  const where = first.path.length > 0 ? problem.field : undefined;
  return { message: `The request is malformed: ${problem.message}`, ...(where ? { where } : {}) };
}

const codes = new Set<HostError['code']>([
  'invalid-request',
  'not-found',
  'invalid-input',
  'internal',
  'forbidden',
]);

function explained(error: unknown): HostError | null {
  if (!(error instanceof Error)) return null;
  const { code, where } = error as Error & { code?: unknown; where?: unknown };
  if (typeof code !== 'string' || !codes.has(code as HostError['code'])) return null;
  return {
    code: code as HostError['code'],
    message: error.message,
    ...(typeof where === 'string' && where ? { where } : {}),
  };
}

export async function dispatch(
  handlers: HostHandlers,
  name: unknown,
  payload: unknown,
): Promise<DispatchResult> {
  if (!isCallName(name)) {
    return {
      ok: false,
      error: { code: 'invalid-request', message: `Unknown call "${String(name).slice(0, 80)}".` },
    };
  }
  const parsed = calls[name].request.safeParse(payload ?? {});
  if (!parsed.success) {
    const { message, where } = describeZodError(parsed.error);
    return {
      ok: false,
      error: { code: 'invalid-request', message, where: `${name}: ${where ?? 'payload'}` },
    };
  }
  try {
    const handler = handlers[name] as (request: unknown) => Promise<unknown>;
    const result = await handler(parsed.data);
    return { ok: true, result };
  } catch (error) {
    // Services throw their own error classes (ProjectError, TrainingError, …) carrying the host API's
    // codes and the place at fault; they reach the UI as they are.
    const known = explained(error);
    if (known) return { ok: false, error: known };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message: `${name} failed: ${message}` } };
  }
}

// One place where a call from the UI is checked and run, shared by the Electron IPC adapter and the web
// host: the channel must exist, the payload must match its schema, and a failure becomes a HostError
// that says what is wrong and where, never a stack trace.
import type { z } from 'zod';
import { calls, isCallName, type HostError, type HostHandlers } from '../../core/api/contract.js';

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

function describeZodError(error: z.ZodError): { message: string; where?: string } {
  const first = error.issues[0];
  if (!first) return { message: 'The request is malformed.' };
  const where = first.path.length > 0 ? first.path.join('.') : undefined;
  return { message: `The request is malformed: ${first.message}.`, ...(where ? { where } : {}) };
}

export async function dispatch(handlers: HostHandlers, name: unknown, payload: unknown): Promise<DispatchResult> {
  if (!isCallName(name)) {
    return { ok: false, error: { code: 'invalid-request', message: `Unknown call "${String(name).slice(0, 80)}".` } };
  }
  const parsed = calls[name].request.safeParse(payload ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-request', ...describeZodError(parsed.error), where: `${name}: ${describeZodError(parsed.error).where ?? 'payload'}` } };
  }
  try {
    const handler = handlers[name] as (request: unknown) => Promise<unknown>;
    const result = await handler(parsed.data);
    return { ok: true, result };
  } catch (error) {
    if (error instanceof HostFault) {
      return { ok: false, error: { code: error.code, message: error.message, ...(error.where ? { where: error.where } : {}) } };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message: `${name} failed: ${message}` } };
  }
}

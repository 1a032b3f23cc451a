// The UI side's check of what the host sends back: every answer and every event is parsed with the
// contract's own schema before the UI sees it. Shared by the Electron bridge (electron/preload) and the web
// client (renderer/src/host), so both hosts are held to the same shapes and a mismatch (a host from another
// version, a handler that drifted from the contract) fails with the call and the field at fault.
import type { z } from 'zod';
import {
  calls,
  events,
  type CallName,
  type CallResponse,
  type EventName,
  type EventPayload,
} from './contract.js';

/** The host answered with something the contract does not allow. */
export class HostAnswerError extends Error {
  constructor(
    readonly channel: string,
    readonly where: string,
    detail: string,
  ) {
    super(`The studio host sent ${channel} in a shape this studio does not expect (${where}: ${detail}).`);
    this.name = 'HostAnswerError';
  }
}

function checked(schema: z.ZodType, channel: string, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new HostAnswerError(channel, issue?.path.join('.') || 'answer', issue?.message ?? 'invalid');
}

/** A call's result, checked against `calls[name].response`. */
export function checkAnswer<K extends CallName>(name: K, result: unknown): CallResponse<K> {
  // The schema of `calls[K]` produces `CallResponse<K>` by definition; TypeScript cannot follow K.
  return checked(calls[name].response, `the answer to ${name}`, result) as CallResponse<K>;
}

/** An event's payload, checked against `events[name]`. */
export function checkEvent<E extends EventName>(name: E, payload: unknown): EventPayload<E> {
  return checked(events[name], `the event ${name}`, payload) as EventPayload<E>;
}

// The host API over HTTP + WebSocket, for the studio running in a browser against `rnn-studio serve`.
// The token comes from the page URL (`?token=…`, printed by the server) and rides on every request.
import { checkAnswer, checkEvent } from '../../../core/api/answers.js';
import {
  isEventName,
  type CallName,
  type CallRequest,
  type CallResponse,
  type EventName,
  type EventPayload,
  type HostApi,
  type HostError,
} from '../../../core/api/contract.js';

/** A failed call, carrying the host's explanation so the UI can show what is wrong and where. */
export class HostCallError extends Error {
  constructor(readonly error: HostError) {
    super(error.where ? `${error.message} (${error.where})` : error.message);
    this.name = 'HostCallError';
  }
}

type Listener = (payload: unknown) => void;

export function createWebClient(baseUrl: string, token: string): HostApi {
  const listeners = new Map<EventName, Set<Listener>>();
  let socket: WebSocket | null = null;
  let retryMs = 500;

  function connect(): void {
    const url = new URL('/api/events', baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    socket = new WebSocket(url);
    socket.onopen = () => (retryMs = 500);
    socket.onmessage = (message) => {
      const parsed = JSON.parse(String(message.data)) as { name: unknown; payload: unknown };
      if (!isEventName(parsed.name)) return;
      let payload: unknown;
      try {
        payload = checkEvent(parsed.name, parsed.payload);
      } catch (error) {
        // One malformed event is dropped (and said), not allowed to stop the stream.
        console.error(error);
        return;
      }
      for (const listener of listeners.get(parsed.name) ?? []) listener(payload);
    };
    // The server may restart (or the laptop sleep): reconnect with backoff while anyone listens.
    socket.onclose = () => {
      socket = null;
      if ([...listeners.values()].some((set) => set.size > 0)) {
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 10_000);
      }
    };
  }

  return {
    kind: 'web',
    async call<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
      const response = await fetch(new URL(`/api/call/${name}`, baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(request),
      });
      const body = (await response.json()) as { ok: boolean; result?: unknown; error?: HostError };
      if (!response.ok || !body.ok) {
        throw new HostCallError(
          body.error ?? { code: 'internal', message: `The studio host answered ${response.status}.` },
        );
      }
      return checkAnswer(name, body.result);
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      const set = listeners.get(name) ?? new Set<Listener>();
      listeners.set(name, set);
      set.add(listener as Listener);
      if (!socket) connect();
      return () => set.delete(listener as Listener);
    },
  };
}

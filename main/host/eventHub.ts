// Fan-out of host events (training telemetry, progress, menu commands) to whoever shows them: the web
// host's sockets or Electron's window. Payloads are checked against the contract on the way out, so a
// service bug cannot push malformed data into the UI.
import { events, type EventName, type EventPayload } from '../../core/api/contract.js';

export type EventSink = (name: EventName, payload: unknown) => void;

export class EventHub {
  private readonly sinks = new Set<EventSink>();

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const checked = events[name].parse(payload);
    for (const sink of this.sinks) sink(name, checked);
  }
}

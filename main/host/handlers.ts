// The complete handler table of the host API: every call of core/api/contract.ts answered by a service.
// A call whose service this build lacks answers with a clear error instead of failing silently.
import { callNames, type CallName, type HostHandlers } from '../../core/api/contract.js';
import { HostFault } from './dispatch.js';
import type { Services } from './services.js';

export function createHandlers(services: Services): HostHandlers {
  const table: Record<string, unknown> = {};
  for (const name of callNames) {
    table[name] =
      services.handlers[name] ??
      (async () => {
        throw new HostFault('internal', `"${name}" is not available in this build of the studio.`, name);
      });
  }
  return table as HostHandlers;
}

export function missingHandlers(services: Services): CallName[] {
  return callNames.filter((name) => !services.handlers[name]);
}

// Keeps both host API clients and the main-side handler table in step with the contract: the type-level
// checks fail to compile (npm run typecheck) when a call is added to one and not the other; the runtime
// checks show each client forwards names, payloads and errors faithfully.
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  callNames,
  calls,
  eventNames,
  events,
  type CallName,
  type HostApi,
  type HostHandlers,
} from '../../../../core/api/contract.js';
import { createElectronBridge } from '../../../../electron/preload/bridge.js';
import { createWebClient } from '../../../../renderer/src/host/webClient.js';
import { createHandlers } from '../../../../main/host/handlers.js';

describe('host API contract', () => {
  it('is implemented by the Electron bridge, the web client and the handler table (types)', () => {
    expectTypeOf(createElectronBridge).returns.toEqualTypeOf<HostApi>();
    expectTypeOf(createWebClient).returns.toEqualTypeOf<HostApi>();
    expectTypeOf<keyof HostHandlers>().toEqualTypeOf<CallName>();
    expectTypeOf(createHandlers).returns.toEqualTypeOf<HostHandlers>();
  });

  it('lists every call and event with request/response schemas', () => {
    expect(callNames.length).toBeGreaterThan(20);
    for (const name of callNames) {
      expect(calls[name].request.safeParse).toBeTypeOf('function');
      expect(calls[name].response.safeParse).toBeTypeOf('function');
    }
    expect(eventNames).toEqual(Object.keys(events));
    const table = createHandlers({
      handlers: {},
      recent: () => [],
      unsavedProjects: () => [],
      close: async () => {},
    });
    expect(Object.keys(table).sort()).toEqual([...callNames].sort());
  });

  it('the Electron bridge forwards by name on one channel and turns refusals into errors', async () => {
    const invoke = vi
      .fn()
      .mockResolvedValueOnce({ ok: true, result: [] })
      .mockResolvedValueOnce({ ok: false, error: { code: 'forbidden', message: 'No.', where: 'sender' } });
    const bridge = createElectronBridge({ invoke, on: vi.fn(), removeListener: vi.fn() } as never);
    await expect(bridge.call('templates.list', {})).resolves.toEqual([]);
    expect(invoke).toHaveBeenCalledWith('studio:call', 'templates.list', {});
    await expect(bridge.call('project.recent', {})).rejects.toThrow('No. (sender)');
    await expect(bridge.call('nope' as CallName, {} as never)).rejects.toThrow('Unknown call "nope"');
  });

  it('the web client posts with the bearer token and validates the answer', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(
          JSON.stringify({ ok: true, result: [{ path: '/p.rnnproj', name: 'p', openedAt: 'now' }] }),
        ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const client = createWebClient('http://127.0.0.1:9', 'tok');
    await expect(client.call('project.recent', {})).resolves.toEqual([
      { path: '/p.rnnproj', name: 'p', openedAt: 'now' },
    ]);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [URL, RequestInit];
    expect(String(url)).toBe('http://127.0.0.1:9/api/call/project.recent');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    fetchMock.mockImplementationOnce(
      async () => new Response(JSON.stringify({ ok: true, result: [{ wrong: true }] })),
    );
    await expect(client.call('project.recent', {})).rejects.toThrow();
    vi.unstubAllGlobals();
  });
});

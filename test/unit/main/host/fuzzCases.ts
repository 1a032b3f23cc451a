// The request fuzzer's cases: from a fixed seed, a stream of malformed, hostile and a few valid HTTP and
// WebSocket exchanges, each with the answers the web host may give to it. A kind names what is wrong.
import { requestHead, websocketHeaders, type RawAnswer } from './rawHttp.js';

export interface FuzzCase {
  kind: string;
  send: (string | Buffer)[];
  /** Stop sending early (the client gives up mid-request). */
  endAfterSend?: boolean;
  /** Wait for the server to close the socket rather than for the first response (WebSocket frames). */
  untilClose?: boolean;
  /** HTTP statuses the host may answer; null allows a close without an answer. */
  allowed: (number | null)[];
  /** A further check of a valid call's answer. */
  check?: (answer: RawAnswer) => boolean;
}

/** Percent escapes that decode to nothing valid: cut short, not hex, overlong, a surrogate, past U+10FFFF. */
const badEscapes = ['%E0%A4%A', '%ZZ', '%', 'app.info%', '%C0', '%ED%A0', '%F4%90%80'];
/** Call names that no handler has: prototype members, a bare namespace, one level too deep. */
const unknownCalls = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app', 'app.info.x'];

/** mulberry32: a small seeded generator, so every run sends the same requests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createFuzzCases(seed: number, port: number, token: string): () => FuzzCase {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const printable = (length: number) =>
    Array.from({ length }, () => String.fromCharCode(int(0x21, 0x7e))).join('');
  const bytes = (length: number) => Buffer.from(Array.from({ length }, () => int(0, 255)));
  const host = `127.0.0.1:${port}`;
  const auth = { host, authorization: `Bearer ${token}` };
  const post = (target: string, body: string, headers: Record<string, string | number> = auth) => [
    requestHead('POST', target, {
      ...headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    }) + body,
  ];
  const safeCalls = [
    'app.info',
    'templates.list',
    'project.recent',
    'project.recoverable',
    'project.get',
    'project.summary',
    'project.create',
    'runs.list',
    'progress.cancel',
    'training.pause',
    'training.stop',
    'data.preview',
  ];
  const junkValues = [null, 0, -1, 1e308, '', 'x'.repeat(300), [], {}, true, '__proto__', { __proto__: 1 }];
  const junkPayload = (): string =>
    pick([
      () =>
        JSON.stringify({
          [pick(['projectId', 'templateId', 'runId', 'id', 'unexpected', 'constructor'])]: pick(junkValues),
        }),
      () => JSON.stringify(pick(junkValues)),
      () => '{"__proto__": {"polluted": true}, "projectId": "p"}',
      () => '['.repeat(int(1, 50_000)) + ']'.repeat(int(0, 50_000)),
      () => `{"projectId": "${printable(int(1, 40)).replace(/["\\]/g, '')}"}`,
    ])();

  const kinds: Record<string, () => Omit<FuzzCase, 'kind'>> = {
    'bad target': () => ({
      send: [
        requestHead(
          'GET',
          pick([
            '//',
            'http://[',
            '///',
            '//evil.example/x',
            '*',
            'http://127.0.0.1/',
            '?token=x',
            '%',
            'a/b',
          ]),
          { host },
        ),
      ],
      allowed: [400],
    }),
    'junk path': () => ({
      send: [requestHead('GET', `/${printable(int(0, 2000)).replace(/[?#]/g, '')}?token=${token}`, { host })],
      allowed: [400, 404],
    }),
    'bad call-name encoding': () => ({
      send: post(`/api/call/${pick(badEscapes)}${printable(int(0, 5)).replace(/%/g, '')}`, '{}'),
      allowed: [400],
    }),
    'huge headers': () =>
      random() < 0.5
        ? {
            send: [
              requestHead('GET', `/?token=${token}`, { host, 'x-filler': 'x'.repeat(int(17, 256) * 1024) }),
            ],
            allowed: [431, null],
          }
        : {
            send: [
              requestHead('GET', `/?token=${token}`, {
                host,
                ...Object.fromEntries(
                  Array.from({ length: int(2000, 5000) }, (_, i) => [`x-h${i}`, 'v'.repeat(int(8, 40))]),
                ),
              }),
            ],
            allowed: [431, null],
          },
    'no token': () => ({
      send: random() < 0.5 ? [requestHead('GET', '/', { host })] : post('/api/call/app.info', '{}', { host }),
      allowed: [401],
    }),
    'wrong token': () => {
      const wrong = pick([
        token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a'),
        '',
        'x',
        printable(int(1, 200)),
        'é'.repeat(48),
      ]);
      return pick([
        () => ({
          send: post('/api/call/app.info', '{}', { host, authorization: `Bearer ${wrong}` }),
          allowed: [401],
        }),
        () => ({
          send: [requestHead('GET', `/?token=${encodeURIComponent(wrong)}`, { host })],
          allowed: [401],
        }),
        () => ({
          send: [requestHead('GET', '/', { host, cookie: `rnn_studio_token=${wrong}` })],
          allowed: [401],
        }),
        // The page's cookie alone cannot make a call.
        () => ({
          send: post('/api/call/app.info', '{}', { host, cookie: `rnn_studio_token=${token}` }),
          allowed: [401],
        }),
      ])();
    },
    'wrong origin or host': () =>
      pick([
        () => ({
          send: post('/api/call/app.info', '{}', {
            ...auth,
            origin: pick(['http://evil.example', 'null', `https://${host}`, `http://${host}.evil`]),
          }),
          allowed: [403],
        }),
        () => ({
          send: post('/api/call/app.info', '{}', {
            ...auth,
            host: pick(['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '']),
          }),
          allowed: [400, 403],
        }),
        () => ({ send: [`GET /?token=${token} HTTP/1.1\r\n\r\n`], allowed: [400] }),
      ])(),
    'huge Content-Length': () => ({
      send: [
        requestHead('POST', '/api/call/project.import', {
          ...auth,
          'content-length': pick([
            String(int(300, 999) * 1e6),
            '1000000000000',
            '9007199254740993',
            '99999999999999999999999',
            '-1',
            'abc',
          ]),
        }) + '{"fileName":"a.rnnproj","dataBase64":"',
      ],
      allowed: [400, 413],
    }),
    'truncated body': () => ({
      send: [
        requestHead('POST', '/api/call/app.info', { ...auth, 'content-length': int(100, 1_000_000) }) +
          '{"'.slice(0, int(0, 2)),
      ],
      endAfterSend: true,
      allowed: [400, null],
    }),
    'bad JSON': () => ({
      send: post(
        `/api/call/${pick(safeCalls)}`,
        pick([
          '{oops',
          '{"a":',
          '\u0000',
          printable(int(1, 500)).replace(/^[[{"\d-]/, 'x'),
          '{"a":1}}',
          "{'a':1}",
        ]),
      ),
      allowed: [400],
    }),
    'unknown call': () => ({
      send: post(
        `/api/call/${encodeURIComponent(pick([...unknownCalls, 'x'.repeat(5000), printable(int(1, 60))]))}`,
        '{}',
      ),
      allowed: [400],
    }),
    'junk payload': () => ({
      send: post(`/api/call/${pick(safeCalls)}`, junkPayload()),
      allowed: [200, 400],
    }),
    'wrong method': () => {
      const method = pick(['PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'HEAD', 'PROPFIND', 'GET']);
      return {
        send: [requestHead(method, pick([`/api/call/app.info?token=${token}`, `/?token=${token}`]), auth)],
        // GET / is the page (200 once the renderer is built, 404 before); the API wants POST.
        allowed: method === 'GET' || method === 'HEAD' ? [200, 404, 405] : [400, 404, 405],
      };
    },
    'not HTTP': () => ({
      send: [
        pick([
          () => bytes(int(1, 4000)),
          () => 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
          () => 'GET /\r\n\r\n',
          () => 'GET / HTTP/9.9\r\n\r\n',
          () => `CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
        ])(),
      ],
      endAfterSend: true,
      // HTTP/0.9's `GET /` has no Host header to pass the check.
      allowed: [400, 403, 505, null],
    }),
    'WebSocket bad target': () => ({
      send: [
        requestHead('GET', pick(['//', 'http://[', `//?token=${token}`, '*', 'ws://evil/']), {
          host,
          ...websocketHeaders,
        }),
      ],
      allowed: [400],
    }),
    'WebSocket bad auth': () => ({
      send: [
        pick([
          () => requestHead('GET', '/api/events', { host, ...websocketHeaders }),
          () => requestHead('GET', `/api/events?token=${printable(48)}`, { host, ...websocketHeaders }),
          () =>
            requestHead('GET', `/api/events?token=${token}`, {
              host,
              origin: 'http://evil.example',
              ...websocketHeaders,
            }),
          () =>
            requestHead('GET', `/api/events?token=${token}`, { host: 'evil.example', ...websocketHeaders }),
          () => requestHead('GET', `/api/elsewhere?token=${token}`, { host, ...websocketHeaders }),
        ])(),
      ],
      allowed: [401],
    }),
    'WebSocket bad handshake': () => ({
      send: [
        requestHead('GET', `/api/events?token=${token}`, {
          host,
          ...pick([
            { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': 13 },
            { ...websocketHeaders, 'sec-websocket-version': 99 },
            { ...websocketHeaders, 'sec-websocket-key': 'short' },
            { ...websocketHeaders, upgrade: 'h2c' },
          ]),
        }),
      ],
      allowed: [400, 426],
    }),
    'WebSocket bad frames': () => {
      const mask = bytes(4);
      const masked = (first: number, payload: Buffer) => {
        const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
        return Buffer.concat([Buffer.from([first, 0x80 | payload.length]), mask, body]);
      };
      const frame = pick([
        () => Buffer.concat([Buffer.from([0x81, 0x05]), Buffer.from('hello')]), // unmasked
        () => masked(0x83, bytes(3)), // reserved opcode
        () => masked(0xc1, Buffer.from('x')), // RSV1 without an extension
        () => masked(0x81, Buffer.from([0xc3, 0x28])), // invalid UTF-8
        () => masked(0x09, Buffer.from('p')), // fragmented ping
        () => masked(0x80, Buffer.from('c')), // continuation with nothing to continue
        () =>
          Buffer.concat([
            Buffer.from([0x82, 0xff]),
            Buffer.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
            mask,
          ]), // 2^63 bytes
        // over 1 MB
        () => Buffer.concat([Buffer.from([0x82, 0xff]), Buffer.from([0, 0, 0, 0, 0, 0x20, 0, 0]), mask]),
        () => Buffer.concat([Buffer.from([0x02, int(0, 0x7f)]), bytes(int(1, 500))]), // unmasked junk
      ])();
      return {
        send: [requestHead('GET', `/api/events?token=${token}`, { host, ...websocketHeaders }), frame],
        untilClose: true,
        allowed: [101],
      };
    },
    'valid call': () => ({
      send: post('/api/call/app.info', '{}'),
      allowed: [200],
      check: (answer) => (JSON.parse(answer.body) as { result?: { host?: string } }).result?.host === 'web',
    }),
  };
  const names = Object.keys(kinds);
  return () => {
    const kind = pick(names);
    return { kind, ...kinds[kind]!() };
  };
}

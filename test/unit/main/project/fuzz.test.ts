// The project fuzzer: 10,000 seeded mutations of real project files (every template, the project
// fixtures) run in-process through the path `rnn-studio validate` and `summary` take (projectFromBytes,
// analyzeProject, summarize) and the one a save takes (serializeProject). Mutations put Object.prototype
// member names in every string position and as keys, numbers at the edges (NaN and Infinity as strings,
// 1e999, -0, 1e308, negatives, huge integers), huge arrays, wrong types and missing fields.
// It asserts 0 crashes (anything thrown that is not a ProjectError refusal) and that every refusal, and
// every error diagnostic of a document that parses, names the field, block, port or wire at fault.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../../core/graph/index.js';
import { analyzeProject, serializeProject, type ProjectDoc } from '../../../../core/project/index.js';
import { runCli } from '../../../../main/cli/program.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';
import { projectHandlers } from '../../../../main/host/handlers/projectHandlers.js';
import {
  DEFAULT_LIMITS,
  ProjectError,
  ProjectStore,
  projectFromBytes,
  readProjectZip,
} from '../../../../main/project/index.js';

const root = join(import.meta.dirname, '../../../..');
const MUTATIONS = Number(process.env.RNN_STUDIO_FUZZ_MUTATIONS ?? 10_000);
const SEED = Number(process.env.RNN_STUDIO_FUZZ_SEED ?? 0x5eed16);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** mulberry32: a small seeded generator, so a failure replays exactly. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROTO_NAMES = [
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  'isPrototypeOf',
  '__defineGetter__',
  'toLocaleString',
  'propertyIsEnumerable',
];
// Raw JSON number tokens written into the text (JSON.stringify could not): 1e999 parses to Infinity.
const RAW_NUMBERS = [
  '1e999',
  '-1e999',
  '-0',
  '1e308',
  '-1e308',
  '5e-324',
  '1e-400',
  '123456789012345678901234567890',
  '-1',
  '0',
  '0.5',
  '9007199254740993',
  '4294967296',
];
const STRING_NUMBERS = ['NaN', 'Infinity', '-Infinity', '1e308', '-0', '', ' ', '0x10', '1_000'];
const WRONG_TYPES: Json[] = [null, true, false, 0, -1, 'text', [], {}, [null], { '': null }];
const RAW = '\u0000raw:';

function baseProjects(): { name: string; doc: Json }[] {
  const out: { name: string; doc: Json }[] = [];
  const templates = join(root, 'resources/templates');
  for (const file of readdirSync(templates).filter((f) => f.endsWith('.json'))) {
    const { template: _template, ...doc } = JSON.parse(readFileSync(join(templates, file), 'utf8')) as Record<
      string,
      Json
    >;
    out.push({ name: `template ${file}`, doc });
  }
  const fixtures = join(root, 'test/fixtures/project');
  for (const file of readdirSync(fixtures).filter((f) => /^v\d.*\.json$/.test(f))) {
    out.push({
      name: `fixture ${file}`,
      doc: JSON.parse(readFileSync(join(fixtures, file), 'utf8')) as Json,
    });
  }
  const zipped = readProjectZip(
    new Uint8Array(readFileSync(join(fixtures, 'v1-sentiment.rnnproj'))),
    DEFAULT_LIMITS,
  );
  out.push({
    name: 'fixture v1-sentiment.rnnproj',
    doc: JSON.parse(new TextDecoder().decode(zipped.get('project.json'))) as Json,
  });
  return out;
}

interface Slot {
  parent: Json[] | { [key: string]: Json };
  key: string | number;
  value: Json;
}

/** Every position in the tree: object properties and array elements. */
function slots(value: Json, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i, value: v });
      slots(v, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push({ parent: value, key, value: value[key]! });
      slots(value[key]!, out);
    }
  }
  return out;
}

function set(slot: Slot, value: Json): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else
    Object.defineProperty(slot.parent, slot.key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

/** One mutation of `doc` in place; returns what it did, for the report of a failure. */
function mutate(doc: Json, random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const all = slots(doc);
  if (all.length === 0) return 'nothing to mutate';
  const strings = all.filter((s) => typeof s.value === 'string');
  const numbers = all.filter((s) => typeof s.value === 'number');
  const objects = all.filter(
    (s) => s.value !== null && typeof s.value === 'object' && !Array.isArray(s.value),
  );
  const arrays = all.filter((s) => Array.isArray(s.value));
  const kind = random();
  if (kind < 0.3 && strings.length > 0) {
    const slot = pick(strings);
    const name = pick(PROTO_NAMES);
    set(slot, name);
    return `string ${String(slot.key)} = ${name}`;
  }
  if (kind < 0.4 && objects.length > 0) {
    // A prototype name as a key: renamed from an existing key, or added.
    const target = pick(objects).value as { [key: string]: Json };
    const keys = Object.keys(target);
    const name = pick(PROTO_NAMES);
    const from = keys.length > 0 && random() < 0.5 ? pick(keys) : undefined;
    const value = from !== undefined ? target[from]! : pick(WRONG_TYPES);
    if (from !== undefined) delete target[from];
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
    return `key ${from ?? '(new)'} -> ${name}`;
  }
  if (kind < 0.55 && numbers.length > 0) {
    const slot = pick(numbers);
    const token = random() < 0.6 ? RAW + pick(RAW_NUMBERS) : pick(STRING_NUMBERS);
    set(slot, token);
    return `number ${String(slot.key)} = ${token.replace(RAW, '')}`;
  }
  if (kind < 0.65) {
    const slot = pick(all);
    const value = pick(WRONG_TYPES);
    set(slot, structuredClone(value));
    return `type ${String(slot.key)} = ${JSON.stringify(value)}`;
  }
  if (kind < 0.78) {
    const slot = pick(all);
    if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
    else delete slot.parent[slot.key as string];
    return `missing ${String(slot.key)}`;
  }
  if (kind < 0.8 && arrays.length > 0) {
    const slot = pick(arrays);
    const list = slot.value as Json[];
    const length = random() < 0.04 ? 100_000 : random() < 0.15 ? 10_000 : 1_000;
    const element = list.length > 0 && random() < 0.7 ? pick(list) : pick(WRONG_TYPES);
    set(
      slot,
      Array.from({ length }, () => element),
    ); // the same element each time: serialised as copies
    return `huge array ${String(slot.key)} x${length}`;
  }
  if (kind < 0.92 && arrays.length > 0) {
    const list = pick(arrays).value as Json[];
    if (list.length > 0) list.push(structuredClone(pick(list)));
    return 'duplicate element';
  }
  const slot = pick(all);
  const text = pick([
    '',
    'x'.repeat(100_000),
    '\u0000',
    '../../etc/passwd',
    'é'.repeat(3),
    '🙂',
    '${x}',
    '<script>',
  ]);
  set(slot, text);
  return `string ${String(slot.key)} = ${JSON.stringify(text.slice(0, 12))}…`;
}

function toBytes(doc: Json): Uint8Array {
  const text = JSON.stringify(doc).replace(/"\\u0000raw:([^"]*)"/g, '$1');
  return new TextEncoder().encode(text);
}

/** The field a diagnostic or refusal names; a refusal must name one, so must an error diagnostic. */
function namesAPlace(d: { node?: string; port?: string; edge?: string; field?: string }): boolean {
  return [d.node, d.port, d.edge, d.field].some((x) => typeof x === 'string' && x.length > 0);
}

interface Tally {
  accepted: number;
  refused: number;
  withErrors: number;
  crashes: string[];
  unnamed: string[];
}

const tally = (): Tally => ({ accepted: 0, refused: 0, withErrors: 0, crashes: [], unnamed: [] });

/** What `validate` and `summary` do with a file's bytes, and what a save does with the document. */
function check(bytes: Uint8Array, what: string, t: Tally): void {
  try {
    const { doc: parsed } = projectFromBytes('project.json', '.json', bytes);
    const analysis = analyzeProject(parsed);
    summarize(analysis.inference);
    serializeProject(parsed);
    t.accepted++;
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) t.withErrors++;
    for (const d of errors)
      if (!namesAPlace(d)) t.unnamed.push(`${what} -> diagnostic without a place: ${d.message}`);
  } catch (error) {
    if (!(error instanceof ProjectError)) {
      const trace =
        error instanceof Error
          ? (error.stack ?? error.message).split('\n').slice(0, 4).join(' | ')
          : String(error);
      t.crashes.push(`${what} -> ${trace}`);
      return;
    }
    t.refused++;
    if (!error.where || !error.message.includes(error.where.replace(/^\(top level\)$/, 'project'))) {
      t.unnamed.push(`${what} -> refusal without its field: ${error.message} (where ${error.where})`);
    }
  }
}

describe('project fuzzer', () => {
  it(
    `survives ${MUTATIONS.toLocaleString('en')} mutations of real projects: ` +
      `0 crashes, every refusal names the field`,
    () => {
      const bases = baseProjects();
      const random = generator(SEED);
      const started = performance.now();
      const t = tally();
      let protoRuns = 0;
      for (let i = 0; i < MUTATIONS; i++) {
        const base = bases[i % bases.length]!;
        const doc = structuredClone(base.doc);
        const steps = 1 + Math.floor(random() * 3);
        const done: string[] = [];
        for (let s = 0; s < steps; s++) {
          done.push(mutate(doc, random));
          if (done.at(-1)!.startsWith('huge')) break; // walking 100,000 copies again would only cost time
        }
        if (done.some((d) => PROTO_NAMES.some((p) => d.includes(p)))) protoRuns++;
        check(toBytes(doc), `#${i} ${base.name}: ${done.join('; ')}`, t);
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `project fuzzer (seed ${SEED}): ${MUTATIONS} mutations of ${bases.length} projects ` +
          `(${protoRuns} with prototype names) in ${seconds.toFixed(1)} s: ` +
          `${t.refused} refused, ${t.accepted} parsed (${t.withErrors} with error diagnostics), ` +
          `${t.crashes.length} crashes, ${t.unnamed.length} without a named field`,
      );
      expect(t.refused).toBeGreaterThan(MUTATIONS / 4);
      expect(t.crashes.slice(0, 5)).toEqual([]);
      expect(t.unnamed.slice(0, 5)).toEqual([]);
      // About 35 s alone on this 2-core machine; more when other tests
      // share it. A bound on correctness, not speed.
    },
    300_000,
  );

  it('every string position and every object of every project, set to each prototype-member name', () => {
    const t = tally();
    let cases = 0;
    for (const base of baseProjects()) {
      const positions = slots(base.doc);
      for (let at = 0; at < positions.length; at++) {
        const kind =
          typeof positions[at]!.value === 'string'
            ? 'string'
            : positions[at]!.value !== null && typeof positions[at]!.value === 'object'
              ? 'object'
              : null;
        if (!kind) continue;
        for (const name of PROTO_NAMES.slice(0, 4)) {
          const doc = structuredClone(base.doc);
          const slot = slots(doc)[at]!;
          if (kind === 'string') set(slot, name);
          else if (!Array.isArray(slot.value))
            Object.defineProperty(slot.value, name, {
              value: 'x',
              enumerable: true,
              writable: true,
              configurable: true,
            });
          else continue;
          cases++;
          check(toBytes(doc), `${base.name}: ${kind} at ${String(slot.key)} -> ${name}`, t);
        }
      }
    }
    console.log(
      `prototype names everywhere: ${cases} cases, ${t.refused} refused, ${t.accepted} parsed, ` +
        `${t.crashes.length} crashes, ${t.unnamed.length} without a named field`,
    );
    expect(cases).toBeGreaterThan(1000);
    expect(t.crashes.slice(0, 5)).toEqual([]);
    expect(t.unnamed.slice(0, 5)).toEqual([]);
  });

  it(
    '`rnn-studio validate` on a project with a port ' + 'named constructor exits 1 naming the wire, not 2',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rnn-proto-'));
      try {
        const { template: _t, ...doc } = JSON.parse(
          readFileSync(join(root, 'resources/templates/sentiment.json'), 'utf8'),
        ) as {
          template: unknown;
          graph: { edges: { id: string; from: { port: string }; to: { port: string } }[] };
        };
        doc.graph.edges[1]!.from.port = 'constructor';
        doc.graph.edges[2]!.to.port = '__proto__';
        const file = join(dir, 'proto.json');
        writeFileSync(file, JSON.stringify(doc));
        for (const command of ['validate', 'summary']) {
          let text = '';
          const io = {
            out: (s: string) => void (text += s),
            err: (s: string) => void (text += s),
            isTTY: false,
          };
          const code = await runCli([command, file], io);
          expect(code, `${command}: ${text}`).toBe(command === 'validate' ? 1 : 0);
          expect(text).not.toMatch(/internal error|\n\s+at /);
          expect(text).toContain('constructor');
          expect(text).toContain(`wire ${doc.graph.edges[1]!.id}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('project.update with prototype names in ports answers with diagnostics, not a failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-proto-update-'));
    const store = new ProjectStore({ dataDir: dir, resourcesDir, autosaveMs: 0 });
    try {
      await store.init();
      const calls = projectHandlers(store);
      const { projectId, doc } = await calls['project.create']({ templateId: 'sentiment' });
      const edited = structuredClone(doc) as ProjectDoc;
      edited.graph.edges[0]!.from.port = 'toString';
      edited.graph.edges[1]!.to.port = 'hasOwnProperty';
      const answer = await calls['project.update']({ projectId, doc: edited });
      const named = answer.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => `${d.edge}:${d.port}`);
      expect(named).toEqual(expect.arrayContaining([`${edited.graph.edges[0]!.id}:toString`]));
      expect(named.some((n) => n.endsWith(':hasOwnProperty'))).toBe(true);
    } finally {
      await store.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

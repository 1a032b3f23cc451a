// Untrusted project zips: zip-slip, absolute paths, symlinks, oversized entries, too many entries and zip
// bombs are refused with a message naming the entry, and a bomb costs less than 64 MB of memory.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'fflate';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  ProjectError,
  readProjectZip,
  writeProjectZip,
} from '../../../../main/project/index.js';
import { crc32 } from '../../../../main/project/crc32.js';
import { craftZip, type CraftedEntry } from './craft-zip.js';

const root = join(import.meta.dirname, '../../../..');
const text = (s: string) => new TextEncoder().encode(s);
const project = { name: 'project.json', data: text('{"formatVersion":2}') };

function refusal(entries: CraftedEntry[], limits = DEFAULT_LIMITS): ProjectError {
  try {
    readProjectZip(craftZip(entries), limits);
  } catch (error) {
    expect(error).toBeInstanceOf(ProjectError);
    return error as ProjectError;
  }
  throw new Error('the zip was accepted');
}

describe('reading untrusted project zips', () => {
  it('reads what writeProjectZip writes', () => {
    const zip = writeProjectZip(
      '{"a":1}',
      new Map([
        ['weights/w.bin', new Uint8Array([1, 2, 3])],
        ['history/r.ndjson', text('{}\n'.repeat(500))],
      ]),
    );
    const entries = readProjectZip(zip, DEFAULT_LIMITS);
    expect([...entries.keys()].sort()).toEqual(['history/r.ndjson', 'project.json', 'weights/w.bin']);
    expect(entries.get('history/r.ndjson')?.length).toBe(1500);
  });

  it.each([
    ['../evil.sh', 'zip-slip'],
    ['weights/../../evil.sh', 'zip-slip'],
    ['/etc/passwd', 'absolute'],
    ['C:/Windows/evil.dll', 'absolute'],
    ['weights\\..\\..\\evil', 'backslash'],
    ['evil.sh', 'outside the project layout'],
    ['weights/./w.bin', '"." segment'],
    ['weights/a\u0000.bin', 'control characters'],
  ])('refuses the entry name %s (%s)', (name, why) => {
    const error = refusal([project, { name, data: text('x') }]);
    expect(error.message).toContain(why);
    expect(error.message).toContain(name);
    expect(error.where).toBe(name);
  });

  it('refuses symbolic links, duplicates, encrypted-looking and unknown methods', () => {
    expect(
      refusal([project, { name: 'weights/link', data: text('/etc/passwd'), unixMode: 0o120777 }]).message,
    ).toMatch(/symbolic link.*weights\/link/);
    expect(
      refusal([project, { name: 'weights/a', data: text('1') }, { name: 'weights/a', data: text('2') }])
        .message,
    ).toContain('twice');
  });

  it('refuses oversized entries and totals before inflating anything', () => {
    const big = DEFAULT_LIMITS.maxEntryBytes + 1;
    // Declares 512 MB + 1 but carries 10 bytes: judged on the declaration, nothing is allocated.
    const error = refusal([
      project,
      { name: 'weights/huge.bin', data: deflateSync(new Uint8Array(10)), method: 8, declaredSize: big },
    ]);
    expect(error.message).toMatch(/weights\/huge\.bin.*|at most 512 MB per entry/);
    const limits = { ...DEFAULT_LIMITS, maxTotalBytes: 100 };
    expect(
      refusal(
        [
          project,
          { name: 'weights/a', data: new Uint8Array(60) },
          { name: 'weights/b', data: new Uint8Array(60) },
        ],
        limits,
      ).message,
    ).toContain('weights/b');
  });

  it('refuses too many entries, damaged data and non-zips with clear words', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `history/${i}.ndjson`, data: text('{}') }));
    expect(refusal(many, { ...DEFAULT_LIMITS, maxEntries: 10 }).message).toContain('at most 10');
    expect(refusal([project, { name: 'weights/w.bin', data: text('abc'), crc: 12345 }]).message).toMatch(
      /checksum.*weights\/w\.bin/,
    );
    expect(() => readProjectZip(text('just some text, not a zip'), DEFAULT_LIMITS)).toThrow(
      /not a project file/,
    );
    const truncated = craftZip([project]).slice(0, 40);
    expect(() => readProjectZip(truncated, DEFAULT_LIMITS)).toThrow(ProjectError);
  });

  it('never fails with anything but a ProjectError on 2,000 damaged project zips', () => {
    const good = writeProjectZip(
      '{"formatVersion":2}',
      new Map([
        ['weights/w.bin', new Uint8Array(300).fill(9)],
        ['history/r.ndjson', text('{"a":1}\n'.repeat(40))],
      ]),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat(good.length),
        (flips, cut) => {
          const bad = good.slice(0, Math.max(cut, good.length - 64));
          for (const [at, value] of flips) if (at < bad.length) bad[at] = value;
          try {
            readProjectZip(bad, DEFAULT_LIMITS);
          } catch (error) {
            if (!(error instanceof ProjectError) || error.message.length < 10) throw error;
          }
        },
      ),
      { numRuns: 2000, seed: 7 },
    );
  });

  describe('a 256 MB zip bomb (one fresh process, so memory is measured cleanly)', () => {
    let results: { mode: string; zipBytes: number; message: string; growthBytes: number }[] = [];
    beforeAll(() => {
      const out = execFileSync(
        join(root, 'node_modules/.bin/tsx'),
        [join(import.meta.dirname, 'bomb-child.ts'), String(256 * 1024 * 1024)],
        { encoding: 'utf8' },
      );
      results = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as (typeof results)[number]);
    });
    it.each([
      ['honest', 'expands'],
      ['lying', 'more than the'],
    ])('is refused with a %s header, memory growth under 64 MB', (mode, words) => {
      const result = results.find((r) => r.mode === mode)!;
      console.log(
        `zip bomb (${mode} header): ${result.zipBytes} bytes -> 256 MiB; refused: ` +
          `"${result.message}"; memory growth ${(result.growthBytes / 1048576).toFixed(1)} MB`,
      );
      expect(result.message).toContain(words);
      expect(result.message).toContain('weights/bomb.bin');
      expect(result.growthBytes).toBeLessThan(64 * 1024 * 1024);
    });
    it(
      'control: a naive full extraction of the same zip ' +
        'grows memory by the bomb size (the measure works)',
      () => {
        const control = results.find((r) => r.mode === 'control')!;
        console.log(
          `zip bomb control (fflate unzipSync): ${control.message}; ` +
            `memory growth ${(control.growthBytes / 1048576).toFixed(1)} MB`,
        );
        expect(control.growthBytes).toBeGreaterThan(200 * 1024 * 1024);
      },
    );
  });
  describe('many small entries (the budget counts all of them)', () => {
    const MiB = 1024 * 1024;
    const zeros = new Uint8Array(MiB);
    const packed = deflateSync(zeros, { level: 9 });
    const zerosCrc = crc32(zeros);
    const zeroEntry = (name: string, size = MiB): CraftedEntry => {
      if (size === MiB) return { name, data: packed, method: 8, declaredSize: size, crc: zerosCrc };
      return {
        name,
        data: deflateSync(new Uint8Array(size), { level: 9 }),
        method: 8,
        declaredSize: size,
        crc: crc32(new Uint8Array(size)),
      };
    };

    it(
      'refuses a 1.1 MB zip of 1,000 entries of 1 MiB ' + 'of zeros before inflating any, naming the limit',
      () => {
        const entries = [project, ...Array.from({ length: 1000 }, (_, i) => zeroEntry(`weights/${i}.bin`))];
        const zip = craftZip(entries);
        const before = process.memoryUsage().arrayBuffers;
        const error = refusal(entries);
        console.log(
          `1,000 x 1 MiB zeros: ${(zip.length / MiB).toFixed(2)} MB zip; refused: "${error.message}"`,
        );
        expect(zip.length).toBeLessThan(1.2 * MiB);
        expect(error.message).toMatch(/expands \d+ times \(more than 200\)/);
        expect(error.where).toBe('weights/0.bin');
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * MiB);
      },
    );

    it('refuses 2,000 entries each under the per-entry floor by their ratio together', () => {
      const small = 32 * 1024;
      expect(small).toBeLessThan(DEFAULT_LIMITS.ratioFloorBytes);
      const one = zeroEntry('weights/x.bin', small);
      const entries = [
        project,
        ...Array.from({ length: 2000 }, (_, i) => ({ ...one, name: `weights/${i}.bin` })),
      ];
      const error = refusal(entries);
      console.log(`2,000 x 32 KiB zeros: refused: "${error.message}"`);
      expect(error.message).toMatch(
        /the 2001 entries expand \d+ times together \(more than 200, to 62\.5 MB\)/,
      );
    });

    it('refuses more entries than the limit, counted from the directory', () => {
      const entries = Array.from({ length: DEFAULT_LIMITS.maxEntries + 1 }, (_, i) => ({
        name: `history/${i}.ndjson`,
        data: text('{}'),
      }));
      expect(refusal(entries).message).toBe(
        `The project has ${DEFAULT_LIMITS.maxEntries + 1} entries; ` +
          `at most ${DEFAULT_LIMITS.maxEntries} are allowed.`,
      );
    });

    it('refuses entries whose sizes add up past the whole-project budget, naming it', () => {
      const limits = { ...DEFAULT_LIMITS, maxTotalBytes: 3 * MiB, maxEntryBytes: 2 * MiB };
      const noise = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);
      const entries = [
        project,
        { name: 'weights/a.bin', data: noise(2 * MiB) },
        { name: 'weights/b.bin', data: noise(2 * MiB) },
      ];
      const error = refusal(entries, limits);
      expect(error.message).toContain('more than 3 MB together, the limit for a whole project');
      expect(error.where).toBe('weights/b.bin');
    });

    it('still reads the real project fixture', () => {
      const bytes = new Uint8Array(readFileSync(join(root, 'test/fixtures/project/v1-sentiment.rnnproj')));
      expect(readProjectZip(bytes, DEFAULT_LIMITS).has('project.json')).toBe(true);
    });
  });
});

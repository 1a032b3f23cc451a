// The tfjs export of every template, loaded by stock @tensorflow/tfjs in a separate Node process (no
// studio code; custom layers from the exported studio-layers.js), predicts what the studio predicts to 1e-5
// (absolute, and relative to the output's largest magnitude).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../../../core/data/batch.js';
import { exportTfjs } from '../../../../main/export/tfjs/index.js';
import { writeExport } from '../../../../main/export/write.js';
import {
  batchJson,
  maxDifference,
  relativeDifference,
  studioOutputs,
  type Case,
  type Outputs,
} from './helpers.js';
import { EXPORT_CASES } from './graphs.js';

const PROBE = new URL('../../../../scripts/reference/export_tfjs_probe.mjs', import.meta.url).pathname;
const NODE_MODULES = new URL('../../../../node_modules', import.meta.url).pathname;
const FEED: Record<string, keyof Batch> = {
  tokens: 'tokens',
  features: 'features',
  source: 'source',
  target: 'targetIn',
};

function feeds(c: Case): unknown[] {
  const nested = batchJson(c.batch);
  return c.plan.nodes
    .filter((n) => n.kind === 'input')
    .map((n) => {
      const key = FEED[String(n.params.role)]!;
      return [c.batch[key]!.dtype, nested[key]];
    });
}

describe('tfjs export predicts as the studio', () => {
  const cases = new Map<string, { c: Case; tfjs: Outputs; files: string[] }>();
  const dirs = new Map<string, string>();
  beforeAll(async () => {
    for (const [name, make] of EXPORT_CASES) {
      const c = make();
      const dir = mkdtempSync(path.join(tmpdir(), `rnn-tfjs-${name}-`));
      const files = exportTfjs({ project: c.project, weights: c.weights });
      await writeExport(files, dir);
      writeFileSync(path.join(dir, 'probe.json'), JSON.stringify({ feeds: feeds(c) }));
      // As a user's project would: @tensorflow/tfjs installed where studio-layers.js can import it.
      symlinkSync(NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
      dirs.set(name, dir);
      cases.set(name, { c, tfjs: {}, files: files.map((f) => f.path) });
    }
    // A separate process with only @tensorflow/tfjs: nothing of the studio is loaded there.
    const all = JSON.parse(
      execFileSync(process.execPath, [PROBE, ...dirs.values()], { encoding: 'utf8', maxBuffer: 64 << 20 }),
    ) as Record<string, Outputs>;
    for (const [name, dir] of dirs) cases.get(name)!.tfjs = all[dir]!;
  }, 120_000);

  for (const [name] of EXPORT_CASES) {
    it(`${name}: head outputs within 1e-5`, async () => {
      const { c, tfjs } = cases.get(name)!;
      const studio = await studioOutputs(c);
      const mask = (c.batch.mask ?? c.batch.targetMask)?.data as Float32Array;
      const figures: string[] = [];
      for (const head of c.plan.heads) {
        const expected = studio[head.id]!;
        expect(tfjs[head.id]?.shape, head.id).toEqual(expected.shape);
        const absolute = maxDifference(expected, tfjs[head.id]!, mask);
        const relative = relativeDifference(expected, tfjs[head.id]!, mask);
        figures.push(`${head.id} ${absolute.toExponential(1)} abs, ${relative.toExponential(1)} rel`);
        expect(absolute, head.id).toBeLessThan(1e-5);
        expect(relative, `${head.id} relative`).toBeLessThan(1e-5);
      }
      console.log(`[tfjs parity] ${name}: ${figures.join('; ')}`);
    });
  }

  it('usage.mjs runs with stock tfjs and prints the class probabilities', () => {
    const dir = dirs.get('sentiment')!;
    const out = execFileSync(process.execPath, ['usage.mjs', 'a fine film'], { cwd: dir, encoding: 'utf8' });
    expect(
      out
        .trim()
        .split('\n')
        .filter((l) => /^\S+ \d\.\d{4}$/.test(l)),
    ).toHaveLength(2);
  });

  it('writes studio-layers.js only where a custom layer is needed', () => {
    expect(cases.get('char-lm')!.files).not.toContain('studio-layers.js');
    expect(cases.get('tagger')!.files).not.toContain('studio-layers.js');
    expect(cases.get('sentiment')!.files).toContain('studio-layers.js');
  });
});

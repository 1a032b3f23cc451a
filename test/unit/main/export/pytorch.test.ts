// The PyTorch export of every template, run by Debian's python3-torch, predicts what the studio predicts
// (1e-4 absolute and 1e-4 relative to the output's largest magnitude, on real positions). One Python process
// runs all exports (importing torch takes seconds).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportPytorch } from '../../../../main/export/pytorch/index.js';
import { writeExport } from '../../../../main/export/write.js';
import {
  batchJson,
  maxDifference,
  relativeDifference,
  studioOutputs,
  syntheticExamples,
  type Case,
  type Outputs,
} from './helpers.js';
import { EXPORT_CASES } from './graphs.js';
import { hasTorch, PYTHON } from './torch.js';
import type { OptimizerMemory } from '../../../../main/inference/trainedWeights.js';
import type { WeightValues } from '../../../../main/export/weights.js';

const PROBE = new URL('../../../../scripts/reference/export_probe.py', import.meta.url).pathname;

describe.runIf(hasTorch)('PyTorch export predicts as the studio', () => {
  const cases = new Map<string, { c: Case; torch: Outputs }>();
  beforeAll(async () => {
    const dirs: Record<string, string> = {};
    for (const [name, make] of EXPORT_CASES) {
      const c = make();
      const dir = mkdtempSync(path.join(tmpdir(), `rnn-pt-${name}-`));
      await writeExport(exportPytorch({ project: c.project, weights: c.weights }), dir);
      writeFileSync(path.join(dir, 'probe.json'), JSON.stringify(batchJson(c.batch)));
      dirs[name] = dir;
      cases.set(name, { c, torch: {} });
    }
    const all = JSON.parse(
      execFileSync(PYTHON, [PROBE, ...Object.values(dirs)], { encoding: 'utf8', maxBuffer: 64 << 20 }),
    ) as Record<string, Outputs>;
    for (const [name, dir] of Object.entries(dirs)) cases.get(name)!.torch = all[dir]!;
  }, 120_000);

  for (const [name] of EXPORT_CASES) {
    it(`${name}: every output within 1e-4`, async () => {
      const { c, torch } = cases.get(name)!;
      const studio = await studioOutputs(c);
      const mask = (c.batch.mask ?? c.batch.targetMask)?.data as Float32Array;
      expect(Object.keys(torch).sort()).toEqual(Object.keys(studio).sort());
      const figures: string[] = [];
      for (const [key, expected] of Object.entries(studio)) {
        expect(torch[key]!.shape, key).toEqual(expected.shape);
        const absolute = maxDifference(expected, torch[key]!, mask);
        const relative = relativeDifference(expected, torch[key]!, mask);
        figures.push(`${key} ${absolute.toExponential(1)} abs, ${relative.toExponential(1)} rel`);
        expect(absolute, key).toBeLessThan(1e-4);
        expect(relative, `${key} relative`).toBeLessThan(1e-4);
      }
      console.log(`[pytorch parity] ${name}: ${figures.join('; ')}`);
    });
  }
});

/** Adam moments shaped like every weight, as a checkpoint holds them after 40 updates. */
function adamMemory(c: Case): OptimizerMemory {
  const m: WeightValues = {};
  const v: WeightValues = {};
  for (const [name, w] of Object.entries(c.weights)) {
    m[name] = { shape: w.shape, data: w.data.map((x) => x * 0.01) };
    v[name] = { shape: w.shape, data: w.data.map((x) => x * x * 1e-4 + 1e-8) };
  }
  return { kind: 'adam', step: 40, slots: { m, v } };
}

const TRAIN = new URL('../../../../scripts/reference/export_train.py', import.meta.url).pathname;

describe.runIf(hasTorch)('PyTorch export: train.py', () => {
  const results = new Map<string, { lossBefore: number; lossAfter: number }>();
  const lines = new Map<string, string[]>();
  beforeAll(async () => {
    const dirs = new Map<string, string>();
    for (const [name, make] of EXPORT_CASES) {
      const c = make();
      const dir = mkdtempSync(path.join(tmpdir(), `rnn-pt-train-${name}-`));
      // The sentiment export also carries Adam's memory (as a checkpoint has it): train.py restores it.
      const optimizer = name === 'sentiment' ? adamMemory(c) : undefined;
      await writeExport(
        exportPytorch({
          project: c.project,
          weights: c.weights,
          examples: syntheticExamples(c),
          ...(optimizer ? { optimizer } : {}),
        }),
        dir,
      );
      dirs.set(dir, name);
    }
    const out = execFileSync(PYTHON, [TRAIN, ...dirs.keys()], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const line of out.split('\n')) {
      const [dir, text] = line.split('\t');
      if (!dir || text === undefined) continue;
      const name = dirs.get(dir)!;
      lines.set(name, [...(lines.get(name) ?? []), text]);
      if (text.startsWith('{'))
        results.set(name, JSON.parse(text) as { lossBefore: number; lossAfter: number });
    }
  }, 180_000);

  it('restores the optimizer memory of the checkpoint', () => {
    expect(lines.get('sentiment')!.join('\n')).toContain('optimizer state of step 40 restored');
  });

  for (const [name] of EXPORT_CASES) {
    it(`${name}: one epoch lowers the training loss`, () => {
      const r = results.get(name);
      expect(r, 'train.py printed no summary').toBeDefined();
      expect(Number.isFinite(r!.lossBefore)).toBe(true);
      expect(r!.lossAfter).toBeLessThan(r!.lossBefore);
    });
  }
});

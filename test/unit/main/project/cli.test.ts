// The project commands through the real CLI program: output and exit codes 0/1/2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/cliRun.js';

describe('rnn-studio templates / new / validate / summary / export', () => {
  it('lists templates, creates one, validates it, summarises it and exports its architecture', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnn-cli-'));
    const listed = await cli('templates', '--json');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.out) as { id: string }[]).map((t) => t.id)).toContain('date-translation');
    const file = join(dir, 'dates.rnnproj');
    expect((await cli('new', 'date-translation', file)).code).toBe(0);
    expect((await cli('new', 'date-translation', file)).code).toBe(1);
    expect(await cli('validate', file)).toMatchObject({ code: 0, out: expect.stringContaining('valid') });
    const summary = await cli('summary', file);
    expect(summary.code).toBe(0);
    expect(summary.out).toMatch(/attention\s+attention\s+context \[batch, time, 64\]\s+8,256/);
    expect(summary.out).toContain('total parameters: 68,304');
    expect(summary.out).toContain(
      'PyTorch counts 68,816: its RNN/LSTM/GRU layers keep a second bias vector, +512',
    );
    const exported = await cli('export', file, '--format', 'json', '--out', join(dir, 'out'));
    expect(exported.code).toBe(0);
    const architecture = JSON.parse(
      readFileSync(join(dir, 'out', 'Date-translation.architecture.json'), 'utf8'),
    ) as { format: string; graph: { nodes: unknown[] } };
    expect(architecture.format).toBe('rnn-studio-architecture');
    expect(architecture.graph.nodes).toHaveLength(10);
    // The exported architecture validates and summarises as a project of its own.
    expect((await cli('summary', join(dir, 'out', 'Date-translation.architecture.json'))).out).toContain(
      '68,304',
    );
  });

  it(
    'exits 1 with the field named for an invalid project, ' + '2 for a missing file, 1 for an unknown format',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rnn-cli-'));
      const bad = join(dir, 'bad.json');
      const template = JSON.parse(
        readFileSync(join(import.meta.dirname, '../../../../resources/templates/tagger.json'), 'utf8'),
      ) as Record<string, unknown>;
      delete template.template;
      const graph = template.graph as { nodes: { id: string; params: Record<string, unknown> }[] };
      graph.nodes.find((n) => n.id === 'bilstm')!.params = { layer: { kind: 'dense' } };
      writeFileSync(bad, JSON.stringify(template));
      const result = await cli('validate', bad);
      expect(result.code).toBe(1);
      expect(result.out).toContain('error [wrapper-not-recurrent] (block bilstm, field layer.kind)');
      const broken = join(dir, 'broken.json');
      writeFileSync(broken, JSON.stringify({ ...template, training: { batchSize: 'big' } }));
      expect(await cli('validate', broken)).toMatchObject({
        code: 1,
        err: expect.stringContaining('training.batchSize'),
      });
      expect((await cli('validate', join(dir, 'missing.rnnproj'))).code).toBe(2);
      expect((await cli('export', bad, '--format', 'onnx', '--out', dir)).code).toBe(1);
    },
  );
});

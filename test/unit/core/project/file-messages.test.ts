// Errors for a project or graph file in people's words: the field and what is allowed, and the graph's
// own problems (a cycle, a wire to a missing block) even when the file fails for another reason.
import { describe, expect, it } from 'vitest';
import { parseArchitecture, parseProject } from '../../../../core/project/index.js';
import { parseParams } from '../../../../core/catalog/index.js';

const loop = {
  nodes: [
    { id: 'a', kind: 'dense', params: {} },
    { id: 'b', kind: 'dense', params: {} },
  ],
  edges: [
    { id: 'e1', from: { node: 'a', port: 'out' }, to: { node: 'b', port: 'in' } },
    { id: 'e2', from: { node: 'b', port: 'out' }, to: { node: 'a', port: 'in' } },
    { id: 'e3', from: { node: 'ghost', port: 'out' }, to: { node: 'b', port: 'in' } },
  ],
};

const messages = (r: { ok: boolean; problems?: { message: string }[] }) =>
  r.ok ? [] : r.problems!.map((p) => p.message);

describe('file and settings messages', () => {
  it('names the cycle and the missing block of a project that also lacks its name', () => {
    const result = parseProject({ formatVersion: 2, task: 'classification', graph: loop });
    expect(messages(result)).toEqual([
      'name is missing: expected text.',
      expect.stringMatching(/^missing block: wire "e3" ends at "ghost"/),
      expect.stringMatching(/^cycle: a → b → a\./),
    ]);
  });

  it('says a bare graph is not a project, and still names its cycle', () => {
    const result = messages(parseProject(loop));
    expect(result[0]).toContain('bare graph');
    expect(result).toContainEqual(expect.stringMatching(/^cycle: a → b → a/));
  });

  it('names the cycle of an architecture file', () => {
    const result = parseArchitecture({
      format: 'rnn-studio-architecture',
      formatVersion: 1,
      name: 'x',
      task: 'nope',
      graph: loop,
    });
    expect(messages(result)).toContainEqual(expect.stringMatching(/^cycle: a → b → a/));
  });

  it('rewrites the validator text into the field and its rule', () => {
    expect(messages(parseParams('lstm', { units: 0 }))).toEqual(['units must be at least 1.']);
    expect(messages(parseParams('lstm', { units: 5000 }))).toEqual(['units must be at most 4096.']);
    expect(messages(parseParams('lstm', { units: 2.5 }))).toEqual(['units must be a whole number.']);
    expect(messages(parseParams('pooling', { mode: 'median' }))).toEqual([
      'mode must be one of "last", "mean", "max", "attention".',
    ]);
    expect(messages(parseParams('dense', { size: 3 }))).toEqual([
      '(top level): unknown field "size"; remove or rename it.',
    ]);
    // A schema's own sentence is kept as it was written.
    expect(messages(parseParams('stack', { layer: { kind: 'dense' } }))[0]).toContain(
      'A wrapper holds a recurrent layer',
    );
  });
});

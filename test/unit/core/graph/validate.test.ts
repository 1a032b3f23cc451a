// Every diagnostic the validator gives, each naming the node/port/field and saying how to fix it.
import { describe, expect, it } from 'vitest';
import { validateGraph, analyzeGraph } from '../../../../core/graph/index.js';
import type { Diagnostic } from '../../../../core/graph/types.js';
import { classifier, graph } from './helpers.js';

function only(diags: Diagnostic[], code: string): Diagnostic {
  const found = diags.filter((d) => d.code === code);
  expect(found, `${code} in ${JSON.stringify(diags, null, 1)}`).toHaveLength(1);
  return found[0]!;
}

describe('validateGraph', () => {
  it('accepts a well-formed classifier with no diagnostics', () => {
    expect(
      validateGraph(classifier(), { task: 'classification', data: { vocabularySize: 20, headUnits: 3 } }),
    ).toEqual([]);
  });

  it('reports a cycle with the blocks on it', () => {
    const g = graph(
      [
        ['x', 'input'],
        ['a', 'dense'],
        ['b', 'dense'],
      ],
      ['a.out -> b.in', 'b.out -> a.in'],
    );
    const d = only(validateGraph(g), 'cycle');
    expect(d.message).toMatch(/a → b → a|b → a → b/);
    expect(d.message).toContain('Remove one wire');
  });

  it('reports a dangling input port and a wire to a missing block', () => {
    const g = classifier();
    g.edges = g.edges.filter((e) => e.to.node !== 'pool');
    expect(only(validateGraph(g), 'dangling-port')).toMatchObject({ node: 'pool', port: 'in' });
    g.edges.push({ id: 'ghost', from: { node: 'nobody', port: 'out' }, to: { node: 'pool', port: 'in' } });
    expect(only(validateGraph(g), 'dangling-edge')).toMatchObject({ edge: 'ghost' });
  });

  it('names unknown ports with the real ones', () => {
    const g = classifier();
    g.edges[1]!.from.port = 'output';
    expect(only(validateGraph(g), 'unknown-port').message).toContain('its outputs are: out');
  });

  it('reports tokens wired straight into a recurrent layer, suggesting an embedding', () => {
    const g = graph(
      [
        ['x', 'input'],
        ['rnn', 'lstm'],
        ['pool', 'pooling'],
        ['out', 'head'],
      ],
      ['x.out -> rnn.in', 'rnn.out -> pool.in', 'pool.out -> out.in'],
    );
    const d = only(validateGraph(g), 'port-kind-mismatch');
    expect(d).toMatchObject({ node: 'rnn', port: 'in' });
    expect(d.message).toContain('Embedding');
  });

  it('reports sequence vs vector: a vector into a recurrent layer', () => {
    const g = classifier({ rnn: { returnSequences: false } });
    g.nodes.splice(3, 1, { id: 'pool', kind: 'lstm', params: { units: 4, returnSequences: false } });
    const d = only(validateGraph(g), 'sequence-vector-mismatch');
    expect(d).toMatchObject({ node: 'pool', port: 'in' });
    expect(d.message).toContain('returnSequences');
  });

  it('reports a shape mismatch in add and dot attention', () => {
    const g = graph(
      [
        ['x', 'input', { role: 'features', features: 3 }],
        ['a', 'dense', { units: 4 }],
        ['b', 'dense', { units: 5 }],
        ['sum', 'add'],
        ['out', 'head', { activation: 'linear', units: 1 }],
      ],
      ['x.out -> a.in', 'x.out -> b.in', 'a.out -> sum.in', 'b.out -> sum.in', 'sum.out -> out.in'],
    );
    expect(only(validateGraph(g), 'shape-mismatch')).toMatchObject({ node: 'sum', port: 'in' });
  });

  it('reports bidirectional around a non-recurrent layer', () => {
    const g = classifier();
    g.nodes[2] = {
      id: 'rnn',
      kind: 'bidirectional',
      params: { layer: { kind: 'dense', params: { units: 3 } } },
    };
    const d = only(validateGraph(g), 'wrapper-not-recurrent');
    expect(d).toMatchObject({ node: 'rnn', field: 'layer.kind' });
  });

  it('reports a decoder without encoder state and attention without memory', () => {
    const g = graph(
      [
        ['src', 'input', { role: 'source' }],
        ['se', 'embedding'],
        ['enc', 'encoder'],
        ['tgt', 'input', { role: 'target' }],
        ['te', 'embedding'],
        ['dec', 'decoder'],
        ['att', 'attention'],
        ['out', 'head', { units: 64 }],
      ],
      [
        'src.out -> se.in',
        'se.out -> enc.in',
        'tgt.out -> te.in',
        'te.out -> dec.in',
        'dec.out -> att.query',
        'att.context -> out.in',
      ],
    );
    const diags = validateGraph(g, { task: 'seq2seq' });
    expect(only(diags, 'decoder-without-state')).toMatchObject({ node: 'dec', port: 'state' });
    // The decoder failing blocks the attention; wire the state and the attention's own problem shows.
    g.edges.push({ id: 'st', from: { node: 'enc', port: 'state' }, to: { node: 'dec', port: 'state' } });
    const after = validateGraph(g, { task: 'seq2seq' });
    expect(only(after, 'attention-without-memory')).toMatchObject({ node: 'att', port: 'memory' });
    expect(after.some((d) => d.code === 'decoder-without-state')).toBe(false);
  });

  it('bridges an encoder state of another size into the decoder instead of refusing it', () => {
    const g = graph(
      [
        ['src', 'input', { role: 'source' }],
        ['se', 'embedding'],
        ['enc', 'encoder', { layer: { kind: 'gru', params: { units: 8 } } }],
        ['tgt', 'input', { role: 'target' }],
        ['te', 'embedding'],
        ['dec', 'decoder', { layer: { kind: 'gru', params: { units: 9 } } }],
        ['out', 'head', { units: 64 }],
      ],
      [
        'src.out -> se.in',
        'se.out -> enc.in',
        'tgt.out -> te.in',
        'te.out -> dec.in',
        'enc.state -> dec.state',
        'dec.out -> out.in',
      ],
    );
    const analysis = analyzeGraph(g, { task: 'seq2seq' });
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(analysis.inference.nodes.dec!.weights.slice(0, 2)).toEqual([
      { name: 'bridge/kernel', shape: [8, 9] },
      { name: 'bridge/bias', shape: [9] },
    ]);
  });

  it(
    'reports vocabulary size mismatch with the dataset ' + '(error when too small, warning when too large)',
    () => {
      const small = only(
        validateGraph(classifier({ emb: { vocabularySize: 10 } }), {
          task: 'classification',
          data: { vocabularySize: 20 },
        }),
        'vocabulary-mismatch',
      );
      expect(small).toMatchObject({ severity: 'error', node: 'emb', field: 'vocabularySize' });
      expect(small.message).toContain('Set vocabularySize to 20');
      const large = only(
        validateGraph(classifier({ emb: { vocabularySize: 30 } }), {
          task: 'classification',
          data: { vocabularySize: 20 },
        }),
        'vocabulary-mismatch',
      );
      expect(large.severity).toBe('warning');
    },
  );

  it('reports a head that does not match the task', () => {
    const perStep = classifier();
    perStep.nodes.splice(3, 1);
    perStep.edges = perStep.edges.filter((e) => e.to.node !== 'pool' && e.from.node !== 'pool');
    perStep.edges.push({ id: 'x', from: { node: 'rnn', port: 'out' }, to: { node: 'out', port: 'in' } });
    const d = only(validateGraph(perStep, { task: 'classification' }), 'head-task-mismatch');
    expect(d.message).toContain('Pooling');
    expect(
      only(
        validateGraph(classifier({ out: { activation: 'linear' } }), { task: 'classification' }),
        'head-task-mismatch',
      ),
    ).toMatchObject({ field: 'activation' });
    expect(only(validateGraph(classifier(), { task: 'tagging' }), 'head-task-mismatch').message).toContain(
      'once per time step',
    );
    expect(
      only(
        validateGraph(classifier(), { task: 'classification', data: { headUnits: 5 } }),
        'head-units-mismatch',
      ),
    ).toMatchObject({ field: 'units' });
    // One sigmoid unit is a fine binary classifier.
    expect(
      validateGraph(classifier({ out: { activation: 'sigmoid', units: 1 } }), {
        task: 'classification',
        data: { headUnits: 2 },
      }),
    ).toEqual([]);
  });

  it('refuses models that see the future in a language model', () => {
    const g = graph(
      [
        ['x', 'input'],
        ['emb', 'embedding', { dimension: 8 }],
        ['sa', 'self-attention', { heads: 2 }],
        ['out', 'head', { units: 64 }],
      ],
      ['x.out -> emb.in', 'emb.out -> sa.in', 'sa.out -> out.in'],
    );
    expect(only(validateGraph(g, { task: 'language-model' }), 'future-leak')).toMatchObject({
      node: 'sa',
      field: 'causal',
    });
    g.nodes[2]!.params.causal = true;
    expect(validateGraph(g, { task: 'language-model' })).toEqual([]);
  });

  it(
    'reports wrong input roles, two wires into one input, ' + 'duplicate ids, unknown kinds, unused blocks',
    () => {
      expect(
        only(validateGraph(classifier({ x: { role: 'source' } }), { task: 'classification' }), 'input-roles'),
      ).toMatchObject({ field: 'role' });
      const g = classifier();
      g.edges.push({ id: 'dup', from: { node: 'emb', port: 'out' }, to: { node: 'rnn', port: 'in' } });
      expect(only(validateGraph(g), 'port-taken')).toMatchObject({ node: 'rnn', port: 'in', edge: 'dup' });
      const h = classifier();
      h.nodes.push({ id: 'rnn', kind: 'gru', params: {} }, { id: 'z', kind: 'transformer-xl', params: {} });
      const diags = validateGraph(h);
      expect(only(diags, 'duplicate-id')).toMatchObject({ node: 'rnn' });
      expect(only(diags, 'unknown-kind')).toMatchObject({ node: 'z', field: 'kind' });
      const u = classifier();
      u.nodes.push({ id: 'spare', kind: 'dropout', params: {} });
      u.edges.push({ id: 'sp', from: { node: 'rnn', port: 'out' }, to: { node: 'spare', port: 'in' } });
      expect(only(validateGraph(u), 'unused-node')).toMatchObject({ severity: 'warning', node: 'spare' });
    },
  );

  it('infers shapes and parameter counts for every node', () => {
    const { inference } = analyzeGraph(classifier());
    expect(inference.order).toEqual(['x', 'emb', 'rnn', 'pool', 'out']);
    expect(inference.nodes.rnn?.outputs.out).toEqual({ kind: 'sequence', shape: ['batch', 'time', 16] });
    expect(inference.nodes.out?.outputs.out).toEqual({ kind: 'vector', shape: ['batch', 3] });
    // 20·8 + 4·(8·16 + 16·16 + 16) + (16·3 + 3)
    expect(inference.totalParams).toBe(160 + 4 * 400 + 51);
  });
});

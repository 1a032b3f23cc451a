// Connecting ports through core/graph's editing API: a wire that cannot be valid is refused as it is
// made, with the validator's own words, and the graph (including a wire already at that input) stays.
import { describe, expect, it } from 'vitest';
import { connect, validateGraph } from '../../../../core/graph/index.js';
import { classifier, graph } from './helpers.js';

const port = (node: string, name: string) => ({ node, port: name });

describe('connect', () => {
  it('refuses token ids into an LSTM that already has a valid input, leaving that wire', () => {
    const g = classifier();
    const result = connect(g, port('x', 'out'), port('rnn', 'in'));
    expect(result).toMatchObject({ ok: false, code: 'port-kind-mismatch' });
    // The same sentence the Problems strip shows for that wire.
    const drawn = {
      ...g,
      edges: [
        ...g.edges.filter((e) => e.id !== 'e2'),
        { id: 'w', from: port('x', 'out'), to: port('rnn', 'in') },
      ],
    };
    const problem = validateGraph(drawn).find((d) => d.edge === 'w');
    expect(!result.ok && result.message).toBe(problem?.message);
    expect(!result.ok && result.message).toContain('Embedding');
  });

  it('lets a valid wire replace the one at a single input and reports it', () => {
    const g = graph(
      [
        ['x', 'input'],
        ['a', 'embedding', { vocabularySize: 9, dimension: 4 }],
        ['b', 'embedding', { vocabularySize: 9, dimension: 6 }],
        ['r', 'gru'],
      ],
      ['x.out -> a.in', 'x.out -> b.in', 'a.out -> r.in'],
    );
    const result = connect(g, port('b', 'out'), port('r', 'in'));
    expect(result.ok && result.replaced.map((e) => e.id)).toEqual(['e3']);
    expect(result.ok && result.graph.edges.filter((e) => e.to.node === 'r').map((e) => e.from.node)).toEqual([
      'b',
    ]);
    expect(g.edges).toHaveLength(3); // the input graph is untouched
  });

  it('keeps several wires at a port that takes several (concatenate)', () => {
    const g = graph(
      [
        ['x', 'input'],
        ['e', 'embedding', { vocabularySize: 9, dimension: 4 }],
        ['a', 'gru'],
        ['b', 'lstm'],
        ['c', 'concatenate'],
      ],
      ['x.out -> e.in', 'e.out -> a.in', 'e.out -> b.in', 'a.out -> c.in'],
    );
    const result = connect(g, port('b', 'out'), port('c', 'in'));
    expect(result.ok && result.replaced).toEqual([]);
    expect(result.ok && validateGraph(result.graph).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses a wire that closes a loop, naming the blocks on it', () => {
    const g = graph(
      [
        ['a', 'dense'],
        ['b', 'dense'],
        ['c', 'dense'],
      ],
      ['a.out -> b.in', 'b.out -> c.in'],
    );
    const result = connect(g, port('c', 'out'), port('a', 'in'));
    expect(result).toMatchObject({ ok: false, code: 'cycle' });
    expect(!result.ok && result.message).toContain('a → b → c → a');
    expect(connect(g, port('a', 'out'), port('a', 'in'))).toMatchObject({ ok: false, code: 'self' });
  });

  it('refuses duplicates, unknown ports and blocks, and an output kind the input never takes', () => {
    const g = graph(
      [
        ['x', 'input', { role: 'source' }],
        ['e', 'embedding'],
        ['r', 'lstm'],
        ['d', 'dense'],
      ],
      ['x.out -> e.in', 'e.out -> r.in'],
    );
    expect(connect(g, port('x', 'out'), port('e', 'in'))).toMatchObject({ ok: false, code: 'duplicate' });
    expect(connect(g, port('x', 'nope'), port('d', 'in'))).toMatchObject({ ok: false, code: 'unknown-port' });
    expect(connect(g, port('x', 'out'), port('zz', 'in'))).toMatchObject({ ok: false, code: 'missing' });
    // A recurrent state feeds only a decoder's state input.
    const state = connect(g, port('r', 'state'), port('d', 'in'));
    expect(state).toMatchObject({ ok: false, code: 'port-kind-mismatch' });
    expect(!state.ok && state.message).toContain('Decoder');
  });
});

describe('the loop named in a refusal', () => {
  it('is the loop itself, not the blocks downstream of it', () => {
    // tokens → embed → rnn → pool → head, then rnn.out → embed.in replaces the token wire: the loop
    // is embed → rnn → embed; pool and head only hang off it.
    const g = classifier();
    const result = connect(g, port('rnn', 'out'), port('emb', 'in'));
    expect(!result.ok && result.message).toContain('(emb → rnn → emb)');
  });
});

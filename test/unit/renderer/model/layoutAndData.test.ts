import { describe, expect, it } from 'vitest';
import { autoLayout, COLUMN_GAP } from '../../../../renderer/src/model/layout.js';

const chain = {
  nodes: ['a', 'b', 'c', 'd'].map((id) => ({ id, kind: 'dense', params: {} })),
  edges: [
    { id: 'e1', from: { node: 'a', port: 'out' }, to: { node: 'b', port: 'in' } },
    { id: 'e2', from: { node: 'b', port: 'out' }, to: { node: 'c', port: 'in' } },
    { id: 'e3', from: { node: 'a', port: 'out' }, to: { node: 'd', port: 'in' } },
    { id: 'e4', from: { node: 'c', port: 'out' }, to: { node: 'd', port: 'in' } },
  ],
};

describe('auto-layout', () => {
  it('puts each block one column after its deepest input', () => {
    const p = autoLayout(chain);
    expect([p.a!.x, p.b!.x, p.c!.x, p.d!.x]).toEqual([0, COLUMN_GAP, 2 * COLUMN_GAP, 3 * COLUMN_GAP]);
  });

  it('terminates on a cycle and still places every block', () => {
    const cyclic = {
      ...chain,
      edges: [...chain.edges, { id: 'e5', from: { node: 'd', port: 'out' }, to: { node: 'b', port: 'in' } }],
    };
    expect(Object.keys(autoLayout(cyclic))).toHaveLength(4);
  });
});

import { describe, expect, it } from 'vitest';
import { probabilityTint, readClassification, readGeneration, readTagging, readTranslation } from '../../../../../renderer/src/views/playground/prediction.js';

describe('playground answers', () => {
  it('classification: label, sorted classes and token weights', () => {
    const p = readClassification({ label: 'positive', probabilities: { negative: 0.2, positive: 0.8 }, tokens: ['a', 'fine', 'film'], tokenWeights: [0.1, 0.7, 0.2] });
    expect(p.label).toBe('positive');
    expect(p.classes.map((c) => c.label)).toEqual(['positive', 'negative']);
    expect(p.tokenWeights).toEqual([0.1, 0.7, 0.2]);
  });

  it('classification without a label takes the most likely class; regression gives a value', () => {
    expect(readClassification({ probabilities: [{ label: 'a', probability: 0.1 }, { label: 'b', probability: 0.9 }] }).label).toBe('b');
    expect(readClassification({ value: 3.5 }).value).toBe(3.5);
  });

  it('tagging: tokens with tags, also from [{token, tag}]', () => {
    expect(readTagging({ tokens: ['the', 'dog'], tags: ['DET', 'NOUN'] })).toMatchObject({ tokens: ['the', 'dog'], tags: ['DET', 'NOUN'] });
    expect(readTagging({ tagged: [{ token: 'runs', tag: 'VERB', probability: 0.9 }] })).toMatchObject({ tokens: ['runs'], tags: ['VERB'], probabilities: [0.9] });
  });

  it('translation: text and the attention matrix in any of its spellings', () => {
    const weights = [[0.9, 0.1], [0.2, 0.8]];
    expect(readTranslation({ sourceTokens: ['a', 'b'], outputTokens: ['x', 'y'], attention: weights })).toMatchObject({ text: 'xy', attention: weights });
    expect(readTranslation({ output: '2021-03-03', attention: [{ layer: 'attn', weights }] }).attention).toEqual(weights);
    expect(readTranslation({ text: 't', attention: { attn: weights } }).attention).toEqual(weights);
  });

  it('reads the shapes main/inference returns (results.ts)', () => {
    const c = readClassification({ task: 'classification', input: 'a fine film', label: 'positive', probabilities: [{ label: 'positive', probability: 0.9 }, { label: 'negative', probability: 0.1 }], tokens: [{ token: 'a', weight: 0.2 }, { token: 'fine', weight: 0.8 }] });
    expect(c).toMatchObject({ label: 'positive', tokens: ['a', 'fine'], tokenWeights: [0.2, 0.8] });
    expect(readTagging({ task: 'tagging', input: 'the dog', tokens: [{ token: 'the', tag: 'DET', probability: 0.9 }, { token: 'dog', tag: 'NOUN', probability: 0.8 }] })).toEqual({ tokens: ['the', 'dog'], tags: ['DET', 'NOUN'], probabilities: [0.9, 0.8] });
    const weights = [[1, 0], [0, 1]];
    expect(readTranslation({ task: 'seq2seq', input: 'x', output: '20', tokens: [{ token: '2', probability: 0.9 }, { token: '0', probability: 0.8 }], source: ['m', 'a'], attention: weights })).toEqual({ sourceTokens: ['m', 'a'], outputTokens: ['2', '0'], text: '20', attention: weights });
    expect(readGeneration({ task: 'language-model', seed: 'Th', text: 'e ', tokens: [{ token: 'e', probability: 0.5 }, { token: ' ', probability: 0.25 }] }, 'Th').tokens).toEqual([{ text: 'e', probability: 0.5 }, { text: ' ', probability: 0.25 }]);
    expect(readClassification({ task: 'regression', input: 'x', values: [2.5] }).value).toBe(2.5);
  });

  it('generation: tokens with probabilities', () => {
    expect(readGeneration({ tokens: [{ token: 'a', probability: 0.5 }] }, 's')).toEqual({ seed: 's', tokens: [{ text: 'a', probability: 0.5 }] });
    expect(readGeneration({ tokens: ['a', 'b'], probabilities: [0.1, 0.9] }, 's').tokens[1]).toEqual({ text: 'b', probability: 0.9 });
    expect(readGeneration({ text: 'abc' }, 's').tokens).toEqual([{ text: 'abc', probability: undefined }]);
  });

  it('tints unlikely tokens red and likely ones green', () => {
    expect(probabilityTint(0)).toContain('hsla(0,');
    expect(probabilityTint(1)).toContain('hsla(120,');
    expect(probabilityTint(undefined)).toBe('transparent');
  });
});

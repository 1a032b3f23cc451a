// The playground boxes draw the host's typed answers (core/api/playground.ts) as they come.
import { describe, expect, it } from 'vitest';
import type { PredictResult } from '../../../../../core/api/playground.js';
import {
  probabilityTint,
  readClassification,
  readGeneration,
  readTagging,
  readTranslation,
} from '../../../../../renderer/src/views/playground/prediction.js';

describe('playground answers', () => {
  it('classification: label, classes most likely first, and token weights', () => {
    const c = readClassification({
      task: 'classification',
      input: 'a fine film',
      label: 'positive',
      probabilities: [
        { label: 'negative', probability: 0.1 },
        { label: 'positive', probability: 0.9 },
      ],
      tokens: [
        { token: 'a', weight: 0.2 },
        { token: 'fine', weight: 0.8 },
      ],
    });
    expect(c).toMatchObject({ label: 'positive', tokens: ['a', 'fine'], tokenWeights: [0.2, 0.8] });
    expect(c.classes.map((k) => k.label)).toEqual(['positive', 'negative']);
  });

  it('regression gives a value; an answer for another task draws nothing', () => {
    expect(readClassification({ task: 'regression', input: 'x', values: [2.5] }).value).toBe(2.5);
    const tagged: PredictResult = {
      task: 'tagging',
      input: 'x',
      tokens: [{ token: 'x', tag: 'N', probability: 1 }],
    };
    expect(readClassification(tagged)).toMatchObject({ label: '', classes: [], value: undefined });
    expect(readTranslation(tagged)).toMatchObject({ text: '', attention: undefined });
  });

  it('tagging: tokens with tags and probabilities', () => {
    const t = readTagging({
      task: 'tagging',
      input: 'the dog',
      tokens: [
        { token: 'the', tag: 'DET', probability: 0.9 },
        { token: 'dog', tag: 'NOUN', probability: 0.8 },
      ],
    });
    expect(t).toEqual({ tokens: ['the', 'dog'], tags: ['DET', 'NOUN'], probabilities: [0.9, 0.8] });
  });

  it('translation: source, output tokens, text and attention', () => {
    const weights = [
      [1, 0],
      [0, 1],
    ];
    const t = readTranslation({
      task: 'seq2seq',
      input: 'x',
      output: '20',
      tokens: [
        { token: '2', probability: 0.9 },
        { token: '0', probability: 0.8 },
      ],
      source: ['m', 'a'],
      attention: weights,
    });
    expect(t).toEqual({ sourceTokens: ['m', 'a'], outputTokens: ['2', '0'], text: '20', attention: weights });
  });

  it('generation: tokens with probabilities', () => {
    const g = readGeneration({
      task: 'language-model',
      seed: 'Th',
      text: 'e ',
      tokens: [
        { token: 'e', probability: 0.5 },
        { token: ' ', probability: 0.25 },
      ],
    });
    expect(g).toEqual({
      seed: 'Th',
      tokens: [
        { text: 'e', probability: 0.5 },
        { text: ' ', probability: 0.25 },
      ],
    });
  });

  it('tints unlikely tokens red and likely ones green', () => {
    expect(probabilityTint(0)).toContain('hsla(0,');
    expect(probabilityTint(1)).toContain('hsla(120,');
    expect(probabilityTint(undefined)).toBe('transparent');
  });
});

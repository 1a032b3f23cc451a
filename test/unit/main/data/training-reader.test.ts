// The seam to training: main/training/projectData.ts reads non-generated datasets through an
// ExampleReader; readProjectExamples is that reader. The char-lm template (an embedded document) must
// come out as training batches that cover the text.
import { describe, expect, it } from 'vitest';
import { readProjectExamples } from '../../../../main/data/index.js';
import { resourcesDir } from '../../../../main/host/appInfo.js';
import { loadTemplate } from '../../../../main/project/index.js';
import { buildProjectData } from '../../../../main/training/projectData.js';

describe('readProjectExamples as the training ExampleReader', () => {
  it('feeds the char-lm template to buildProjectData', async () => {
    const { template, files } = await loadTemplate(resourcesDir, 'char-lm');
    const doc = template.project;
    const built = await buildProjectData(doc, Object.fromEntries(files), null, readProjectExamples);
    expect(built.spec.tokenizer.kind).toBe('character');
    const maxLength = doc.dataset!.maxLength;
    expect(built.spec.vocabulary!.length).toBeGreaterThan(80);
    // One document → contiguous windows of maxLength characters, each predicting the next character.
    const total = built.data.train.size + (built.data.validation?.size ?? 0) + built.test.size;
    expect(total).toBe(Math.ceil((79_771 - 1) / maxLength));
    const batch = built.data.train.batch([0, 1]);
    expect(batch.tokens?.shape).toEqual([2, maxLength]);
    expect([...batch.labels!.data.slice(0, maxLength - 1)]).toEqual([
      ...batch.tokens!.data.slice(1, maxLength),
    ]);
    // Windows follow each other: the last target of window 0 is the first token of window 1.
    expect(batch.labels!.data[maxLength - 1]).toBe(batch.tokens!.data[maxLength]);
  });
});

// Run notes and tags in project.json: a format 2 file opens with empty notes and no tags, a format 3 file
// keeps them, the schema refuses what it cannot store, and annotateRun changes only the run it names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  annotateRun,
  normalizeTags,
  parseProject,
  RunSummarySchema,
  serializeProject,
  tagsInUse,
  type ProjectDoc,
} from '../../../../core/project/index.js';

const fixtures = join(import.meta.dirname, '../../../fixtures/project');
const read = (name: string) => JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as unknown;

function open(name: string): ProjectDoc {
  const result = parseProject(read(name));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.project;
}

describe('run notes and tags in the project file', () => {
  it('a format 2 run opens with an empty note and no tags, migrated from format 2', () => {
    const result = parseProject(read('v2-date-translation-with-run.json'));
    expect(result.ok && result.migratedFrom).toBe(2);
    expect(result.ok && result.project.runs[0]).toMatchObject({ id: 'run1', note: '', tags: [] });
  });

  it('a format 1 file passes through both steps and has runs with notes', () => {
    const result = parseProject(read('v1-sentiment.json'));
    expect(result.ok && result.project.formatVersion).toBe(3);
    expect(result.ok && result.migratedFrom).toBe(1);
  });

  it('a format 3 file keeps the note and tags, and writing it back reads the same', () => {
    const doc = open('v3-date-translation-with-notes.json');
    expect(doc.runs[0]!.note).toMatch(/^Baseline/);
    expect(doc.runs[0]!.tags).toEqual(['baseline', 'dates']);
    const again = parseProject(JSON.parse(serializeProject(doc)));
    expect(again.ok && again.project.runs).toEqual(doc.runs);
  });

  it('refuses a tag too long, an empty tag, and too many tags, naming the field', () => {
    const run = { id: 'r', name: 'r', startedAt: 'x', status: 'completed', epochs: 0 };
    expect(RunSummarySchema.safeParse({ ...run, tags: ['x'.repeat(41)] }).error?.issues[0]).toMatchObject({
      path: ['tags', 0],
      message: 'a tag has at most 40 characters',
    });
    expect(RunSummarySchema.safeParse({ ...run, tags: ['  '] }).error?.issues[0]?.message).toBe(
      'a tag needs at least one character',
    );
    const many = Array.from({ length: 21 }, (_, i) => `t${i}`);
    expect(RunSummarySchema.safeParse({ ...run, tags: many }).error?.issues[0]?.message).toBe(
      'a run has at most 20 tags',
    );
  });
});

describe('annotateRun', () => {
  const doc = open('v3-date-translation-with-notes.json');
  const twoRuns: ProjectDoc = {
    ...doc,
    runs: [...doc.runs, { ...doc.runs[0]!, id: 'run2', name: 'second', note: '', tags: [] }],
  };

  it('replaces the note and tags of the run it names and leaves the others alone', () => {
    const result = annotateRun(twoRuns, 'run2', { note: 'lr 0.01 diverged', tags: [' sweep ', 'lr'] });
    expect(result?.run).toMatchObject({ id: 'run2', note: 'lr 0.01 diverged', tags: ['sweep', 'lr'] });
    expect(result?.doc.runs[0]).toEqual(twoRuns.runs[0]);
    expect(result?.doc.runs[1]).toEqual(result?.run);
    expect(twoRuns.runs[1]!.note).toBe(''); // the document given is not changed
  });

  it('changes only what it is given: tags alone keep the note', () => {
    const result = annotateRun(twoRuns, 'run1', { tags: [] });
    expect(result?.run.note).toBe(twoRuns.runs[0]!.note);
    expect(result?.run.tags).toEqual([]);
  });

  it('answers null for a run the project does not have', () => {
    expect(annotateRun(twoRuns, 'nope', { note: 'x' })).toBeNull();
  });

  it(
    'tags: trimmed, spaces collapsed, the same tag in another case kept once; ' + 'every tag in use sorted',
    () => {
      expect(normalizeTags(['  lr   sweep ', 'GRU', 'gru', '', 'Baseline'])).toEqual([
        'lr sweep',
        'GRU',
        'Baseline',
      ]);
      expect(tagsInUse([{ tags: ['gru', 'sweep'] }, { tags: ['Baseline', 'GRU'] }, { tags: [] }])).toEqual([
        'Baseline',
        'gru',
        'sweep',
      ]);
    },
  );
});

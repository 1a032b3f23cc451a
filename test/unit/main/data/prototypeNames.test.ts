// Column names and labels are the file's text: a header `__proto__,constructor` or a label `toString`
// imports like any other name, and a column the file lacks is reported as missing, not found on
// Object.prototype.
import { describe, expect, it } from 'vitest';
import { importDataset } from '../../../../main/data/index.js';

const csv = (text: string) => ({ fileName: 'proto.csv', bytes: new TextEncoder().encode(text) });

describe('prototype-member names in data files', () => {
  it(
    'imports columns called __proto__ and constructor, ' + 'with labels toString and hasOwnProperty',
    async () => {
      const rows = [
        '__proto__,constructor',
        'a fine film,toString',
        'a bad film,hasOwnProperty',
        'the best film,toString',
        'dull,valueOf',
      ];
      const r = await importDataset(csv(rows.join('\n')), {
        task: 'classification',
        columns: { text: '__proto__', label: 'constructor' },
      });
      expect(r.errorCount).toBe(0);
      expect(r.stats.examples).toBe(4);
      expect(r.spec.columns).toEqual({ text: '__proto__', label: 'constructor' });
      expect(r.spec.labels).toEqual(['hasOwnProperty', 'toString', 'valueOf']);
      expect(r.preview.rows[0]!.text).toEqual(['a', 'fine', 'film']);
    },
  );

  it(
    'a column named after an Object.prototype member ' + 'that the file lacks is missing, not a function',
    async () => {
      const e = await importDataset(csv('text,label\ngood,pos\nbad,neg\n'), {
        task: 'classification',
        columns: { text: 'toString', label: 'label' },
      }).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(e?.message).toMatch(/toString/);
    },
  );
});

import { describe, expect, it } from 'vitest';
import { csvCell, matrixToCsv, seriesToCsv } from '../../../../renderer/src/charts/csv.js';
import { SeriesBuffer } from '../../../../renderer/src/charts/seriesBuffer.js';

describe('CSV export', () => {
  it('joins series on x and leaves missing cells empty', () => {
    const loss = new SeriesBuffer();
    loss.push(1, 0.5);
    loss.push(2, 0.25);
    const validation = new SeriesBuffer();
    validation.push(2, 0.3);
    expect(
      seriesToCsv('step', [
        { name: 'loss', data: loss },
        { name: 'validation loss', data: validation },
      ]),
    ).toBe('step,loss,validation loss\n1,0.5,\n2,0.25,0.3\n');
  });

  it('quotes cells holding commas and quotes (tokens can be anything)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(matrixToCsv(['x', ','], ['p', 'q'], [1, 2, 3, 4], 'target\\source')).toBe(
      'target\\source,p,q\nx,1,2\n",",3,4\n',
    );
  });
});

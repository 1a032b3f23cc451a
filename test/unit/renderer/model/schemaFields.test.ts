// The inspector's form comes from the schemas themselves: check it against the real LSTM and training schemas.
import { describe, expect, it } from 'vitest';
import { getLayerKind } from '../../../../core/catalog/index.js';
import { TrainingConfigSchema } from '../../../../core/training/config.js';
import { coerceInput, fieldErrors, formFields } from '../../../../renderer/src/model/schemaFields.js';

describe('form fields from zod schemas', () => {
  it('reads the LSTM params: integer units with a minimum and default, booleans with defaults', () => {
    const fields = formFields(getLayerKind('lstm')!.params);
    const units = fields.find((f) => f.name === 'units')!;
    expect(units.type).toBe('integer');
    expect(units.minimum).toBeGreaterThanOrEqual(1);
    expect(typeof units.default).toBe('number');
    const forget = fields.find((f) => f.name === 'unitForgetBias')!;
    expect(forget).toMatchObject({ type: 'boolean', default: true });
  });

  it('reads enum choices (bidirectional merge) and nested objects (training optimizer)', () => {
    const merge = formFields(getLayerKind('bidirectional')!.params).find((f) => f.name === 'merge')!;
    expect(merge.type).toBe('enum');
    expect(merge.options).toEqual(expect.arrayContaining(['concat', 'sum', 'average', 'multiply']));
    const optimizer = formFields(TrainingConfigSchema).find((f) => f.name === 'optimizer')!;
    expect(optimizer.type).toBe('object');
    const lr = optimizer.fields!.find((f) => f.name === 'learningRate')!;
    expect(lr).toMatchObject({ type: 'number', default: 0.001 });
    expect(lr.exclusiveMinimum ?? lr.minimum).toBe(0);
  });

  it('names the offending field when a value is refused, and coerces typed text', () => {
    const schema = getLayerKind('lstm')!.params;
    expect(fieldErrors(schema, { units: 0 })).toHaveProperty('units');
    expect(fieldErrors(schema, { units: 64 })).toEqual({});
    expect(fieldErrors(TrainingConfigSchema, { optimizer: { learningRate: -1 } })).toHaveProperty(['optimizer.learningRate']);
    const units = formFields(schema).find((f) => f.name === 'units')!;
    expect(coerceInput(units, '128')).toBe(128);
    expect(coerceInput(units, '')).toBeUndefined();
  });

  it('reads `auto` or a count (training workers) as an integer field that also takes the word', () => {
    const workers = formFields(TrainingConfigSchema).find((f) => f.name === 'workers')!;
    expect(workers).toMatchObject({ type: 'integer', keyword: 'auto', default: 'auto', minimum: 1 });
    expect(coerceInput(workers, 'auto')).toBe('auto');
    expect(coerceInput(workers, '3')).toBe(3);
    expect(fieldErrors(TrainingConfigSchema, { workers: 'many' })).toHaveProperty('workers');
    expect(fieldErrors(TrainingConfigSchema, { workers: 0 })).toHaveProperty('workers');
    expect(fieldErrors(TrainingConfigSchema, { workers: 2 })).toEqual({});
  });
});

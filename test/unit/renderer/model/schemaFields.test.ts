// The inspector's form comes from the schemas themselves: check it
// against the real LSTM and training schemas.
import { describe, expect, it } from 'vitest';
import { formulaOf, getLayerKind, paramTexts } from '../../../../core/catalog/index.js';
import { TrainingConfigSchema } from '../../../../core/training/config.js';
import { TRAINING_TEXT } from '../../../../core/training/field-text.js';
import {
  coerceInput,
  fieldAt,
  fieldErrors,
  fieldMessage,
  formFields,
  isShown,
  rangeText,
} from '../../../../renderer/src/model/schemaFields.js';

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
    expect(fieldErrors(TrainingConfigSchema, { optimizer: { learningRate: -1 } })).toHaveProperty([
      'optimizer.learningRate',
    ]);
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

describe('settings in people words', () => {
  const training = formFields(TrainingConfigSchema, TRAINING_TEXT);
  const group = (name: string) => training.find((f) => f.name === name)!.fields!;

  it('labels fields from the catalog, and splits names nobody described into words', () => {
    const lstm = formFields(getLayerKind('lstm')!.params, paramTexts('lstm'));
    expect(lstm.find((f) => f.name === 'returnSequences')!.label).toBe('Output every step');
    expect(lstm.find((f) => f.name === 'units')).toMatchObject({ label: 'Units', unit: 'hidden size' });
    expect(group('optimizer').find((f) => f.name === 'learningRate')!.label).toBe('Learning rate');
    expect(formFields(getLayerKind('lstm')!.params).find((f) => f.name === 'returnSequences')!.label).toBe(
      'Return sequences',
    );
  });

  it('shows real ranges: no 9007199254740991, whole numbers above 0 start at 1', () => {
    const patience = group('schedule').find((f) => f.name === 'patience')!;
    expect(patience).toMatchObject({ minimum: 1 });
    expect(patience.maximum).toBeUndefined();
    expect(rangeText(patience)).toBe('at least 1');
    expect(rangeText(training.find((f) => f.name === 'epochs')!)).toBe('1 to 100000');
    expect(rangeText(group('optimizer').find((f) => f.name === 'learningRate')!)).toBe('above 0, at most 10');
    expect(rangeText(group('optimizer').find((f) => f.name === 'momentum')!)).toBe('at least 0, below 1');
  });

  it('shows optimizer and schedule fields only for the kind chosen', () => {
    const shown = (name: string, value: Record<string, unknown>) =>
      group(name)
        .filter((f) => isShown(f, value, group(name)))
        .map((f) => f.name);
    expect(shown('optimizer', {})).toEqual([
      'kind',
      'learningRate',
      'weightDecay',
      'beta1',
      'beta2',
      'epsilon',
    ]); // adam
    expect(shown('optimizer', { kind: 'sgd' })).toEqual([
      'kind',
      'learningRate',
      'momentum',
      'nesterov',
      'weightDecay',
    ]);
    expect(shown('schedule', {})).toEqual(['kind']); // constant
    expect(shown('schedule', { kind: 'step' })).toEqual(['kind', 'stepEpochs', 'factor']);
    const pooling = formFields(getLayerKind('pooling')!.params, paramTexts('pooling'));
    expect(pooling.filter((f) => isShown(f, { mode: 'mean' }, pooling)).map((f) => f.name)).toEqual(['mode']);
    expect(pooling.filter((f) => isShown(f, { mode: 'attention' }, pooling)).map((f) => f.name)).toEqual([
      'mode',
      'units',
    ]);
  });

  it('says which field is wrong and what it accepts', () => {
    const schema = getLayerKind('lstm')!.params;
    const units = formFields(schema, paramTexts('lstm')).find((f) => f.name === 'units')!;
    const problem = fieldErrors(schema, { units: 0 }).units!;
    expect(problem).toBe('must be at least 1.');
    expect(fieldMessage(units, 0, problem)).toBe(
      'Units must be a whole number from 1 to 4096 (hidden size).',
    );
    const lr = fieldAt(training, 'optimizer.learningRate')!;
    expect(
      fieldMessage(
        lr,
        -1,
        fieldErrors(TrainingConfigSchema, { optimizer: { learningRate: -1 } })['optimizer.learningRate']!,
      ),
    ).toBe('Learning rate must be a number above 0 and at most 10 (step size).');
  });

  it('gives the formula of the mode chosen (pooling mean is not the attention formula)', () => {
    const pooling = getLayerKind('pooling')!;
    expect(formulaOf(pooling, { mode: 'mean' }).hint).toBe('v = (1/T) Σ_t h_t');
    expect(formulaOf(pooling, { mode: 'attention' }).hint).toBe('v = Σ_t α_t h_t');
    expect(formulaOf(getLayerKind('head')!, { activation: 'sigmoid' }).hint).toBe('ŷ = sigmoid(Wx + b)');
    expect(formulaOf(getLayerKind('lstm')!, {}).hint).toBe(getLayerKind('lstm')!.formula);
  });
});

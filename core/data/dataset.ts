// From loaded examples to what training needs: the split (seeded; stratified by class for
// classification), the vocabulary learned from the training part only where none is saved, and every
// example encoded. A language model on one long document is cut into windows and split contiguously
// (train, then validation, then test), so validation text never overlaps training text.
import {
  createEncoder,
  ExampleError,
  languageModelWindows,
  prepareDataset,
  sortLabels,
  type EncodedExample,
} from './encode.js';
import type { Example } from './example.js';
import type { DatasetSpec } from './spec.js';
import { splitExamples } from './split.js';

export interface BuiltDataset {
  /** The spec with vocabulary, merges and labels filled in: save it with the project. */
  spec: DatasetSpec;
  train: EncodedExample[];
  validation: EncodedExample[];
  test: EncodedExample[];
  /** Examples that could not be encoded (an unknown label, misaligned tags), with their lines. */
  errors: { line?: number; message: string }[];
}

/** True when the dataset is one long text rather than one example per row. */
export function isDocument(spec: DatasetSpec): boolean {
  return spec.task === 'language-model' && spec.source.kind !== 'generator' && spec.source.format === 'text';
}

export function buildDataset(spec: DatasetSpec, examples: readonly Example[]): BuiltDataset {
  if (examples.length === 0) throw new Error('the dataset has no examples');
  const errors: BuiltDataset['errors'] = [];
  if (isDocument(spec)) {
    const text = examples.map((e) => e.text ?? '').join('\n');
    const ready = prepareDataset(spec, [{ text }]);
    const windows = languageModelWindows(createEncoder(ready).tokenizer.encode(text), ready.maxLength);
    const nTest = Math.round(windows.length * spec.split.test);
    const nValidation = Math.round(windows.length * spec.split.validation);
    const nTrain = windows.length - nTest - nValidation;
    return {
      spec: ready,
      train: windows.slice(0, nTrain),
      validation: windows.slice(nTrain, nTrain + nValidation),
      test: windows.slice(nTrain + nValidation),
      errors,
    };
  }
  const parts = splitExamples(
    examples,
    spec.split,
    spec.task === 'classification' ? (e) => e.label ?? '' : undefined,
  );
  let withLabels = spec;
  if (!spec.labels && (spec.task === 'classification' || spec.task === 'tagging')) {
    // Class names from every example, so a class seen only in validation still has an id.
    withLabels = {
      ...spec,
      labels: sortLabels(
        examples
          .flatMap((e) => (spec.task === 'classification' ? [e.label ?? ''] : (e.tags ?? [])))
          .filter((l) => l !== ''),
      ),
    };
  }
  const ready = prepareDataset(withLabels, parts.train);
  const encoder = createEncoder(ready);
  const encode = (list: readonly Example[]) => encodeEach(encoder, list, errors);
  return {
    spec: ready,
    train: encode(parts.train),
    validation: encode(parts.validation),
    test: encode(parts.test),
    errors,
  };
}

/**
 * Every example of a file scored against a trained project (`eval --data`), encoded with the project's
 * built spec (its vocabulary and labels, never relearned), in file order: one long document becomes
 * next-token windows. Examples the spec cannot encode (a label the model never saw) are left out and listed.
 */
export function encodeWithSpec(
  spec: DatasetSpec,
  examples: readonly Example[],
): { encoded: EncodedExample[]; errors: BuiltDataset['errors'] } {
  const encoder = createEncoder(spec);
  if (isDocument(spec)) {
    const text = examples.map((e) => e.text ?? '').join('\n');
    return { encoded: languageModelWindows(encoder.tokenizer.encode(text), spec.maxLength), errors: [] };
  }
  const errors: BuiltDataset['errors'] = [];
  return { encoded: encodeEach(encoder, examples, errors), errors };
}

/** Encodes every example it can; one the spec cannot encode is left out and listed in `errors`. */
function encodeEach(
  encoder: ReturnType<typeof createEncoder>,
  examples: readonly Example[],
  errors: BuiltDataset['errors'],
): EncodedExample[] {
  return examples.flatMap((e) => {
    try {
      return [encoder.encode(e)];
    } catch (err) {
      if (!(err instanceof ExampleError)) throw err;
      errors.push({ line: err.line, message: err.message });
      return [];
    }
  });
}

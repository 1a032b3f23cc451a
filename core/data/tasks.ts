// Per task: what the graph must end in (head activation, vector or per-step output, how many units),
// which losses and metrics apply, which input roles feed it, which columns the data needs and which
// Batch tensors the pipeline produces. The graph validator (core/graph) and the training loop read this
// table rather than hard-coding task knowledge.
import type { Batch } from './batch.js';
import type { Columns, TaskId } from './spec.js';

export type LossId = 'cross-entropy' | 'binary-cross-entropy' | 'mse' | 'mae';
/** Metric ids, also the keys of ForwardResult.metrics (core/engine/types.ts). */
export type MetricId = 'accuracy' | 'tokenAccuracy' | 'perplexity' | 'exactMatch' | 'mse' | 'mae';
export type HeadActivation = 'softmax' | 'sigmoid' | 'linear';
export type InputRole = 'tokens' | 'features' | 'source' | 'target';

export interface TaskInfo {
  id: TaskId;
  /** Name in the user's words, for menus. */
  title: string;
  summary: string;
  /** Allowed sets of input roles (input.params.role); the graph must match one set exactly. */
  inputRoles: InputRole[][];
  head: {
    activations: HeadActivation[];
    /** 'vector' = one output per sequence ([B,U]); 'sequence' = one per time step ([B,T,U]). */
    output: 'vector' | 'sequence';
    /** What the head's `units` must equal (see expectedHeadUnits). */
    units: 'classes' | 'tags' | 'vocabulary' | 'targets';
  };
  losses: LossId[];
  defaultLoss: LossId;
  metrics: MetricId[];
  /** Columns the dataset must map; for numeric generators `features` replaces text. */
  columns: { required: (keyof Columns)[] };
  /** Batch tensors the pipeline fills for this task (features replaces tokens for numeric generators). */
  batch: (keyof Batch)[];
}

export const TASKS: Record<TaskId, TaskInfo> = {
  classification: {
    id: 'classification',
    title: 'Sequence classification',
    summary: 'Read a whole sequence, output one class (sentiment, topic, parity).',
    inputRoles: [['tokens'], ['features']],
    head: { activations: ['softmax', 'sigmoid'], output: 'vector', units: 'classes' },
    losses: ['cross-entropy', 'binary-cross-entropy'],
    defaultLoss: 'cross-entropy',
    metrics: ['accuracy'],
    columns: { required: ['text', 'label'] },
    batch: ['tokens', 'mask', 'labels'],
  },
  regression: {
    id: 'regression',
    title: 'Sequence regression',
    summary: 'Read a whole sequence, output one or more numbers (the adding problem, a rating).',
    inputRoles: [['tokens'], ['features']],
    head: { activations: ['linear'], output: 'vector', units: 'targets' },
    losses: ['mse', 'mae'],
    defaultLoss: 'mse',
    metrics: ['mse', 'mae'],
    columns: { required: ['text', 'targets'] },
    batch: ['tokens', 'mask', 'targets'],
  },
  tagging: {
    id: 'tagging',
    title: 'Sequence tagging',
    summary: 'One tag per token, aligned (parts of speech, named entities, the copy task).',
    inputRoles: [['tokens']],
    head: { activations: ['softmax'], output: 'sequence', units: 'tags' },
    losses: ['cross-entropy'],
    defaultLoss: 'cross-entropy',
    metrics: ['tokenAccuracy'],
    columns: { required: ['tokens', 'tags'] },
    batch: ['tokens', 'mask', 'labels'],
  },
  'language-model': {
    id: 'language-model',
    title: 'Language model / generation',
    summary: 'Predict the next token at every step; generate text by sampling.',
    inputRoles: [['tokens']],
    head: { activations: ['softmax'], output: 'sequence', units: 'vocabulary' },
    losses: ['cross-entropy'],
    defaultLoss: 'cross-entropy',
    metrics: ['perplexity', 'tokenAccuracy'],
    columns: { required: ['text'] },
    batch: ['tokens', 'mask', 'labels'],
  },
  seq2seq: {
    id: 'seq2seq',
    title: 'Sequence to sequence',
    summary: 'Read a source sequence, write a target sequence (translation, digit addition, dates).',
    inputRoles: [['source', 'target']],
    head: { activations: ['softmax'], output: 'sequence', units: 'vocabulary' },
    losses: ['cross-entropy'],
    defaultLoss: 'cross-entropy',
    metrics: ['exactMatch', 'tokenAccuracy'],
    columns: { required: ['source', 'target'] },
    batch: ['source', 'sourceMask', 'targetIn', 'targetOut', 'targetMask'],
  },
};

/**
 * The head's `units` a built dataset implies, or undefined when not yet known (vocabulary not built).
 * A binary classification may also use one sigmoid unit; validators should accept 1 with sigmoid.
 */
export function expectedHeadUnits(spec: {
  task: TaskId;
  vocabulary?: string[];
  labels?: string[];
  columns?: Columns;
}): number | undefined {
  switch (TASKS[spec.task].head.units) {
    case 'classes':
    case 'tags':
      return spec.labels?.length;
    case 'vocabulary':
      return spec.vocabulary?.length;
    case 'targets':
      return spec.columns?.targets?.length ?? 1;
  }
}

// What the training settings form says about each setting: its name in people's words, unit, help, and
// for which optimizer, schedule or clipping kind it matters (fields of other kinds are hidden, not
// merely ignored). Keyed by the setting's path in TrainingConfigSchema (config.ts keeps the rules).
import type { FieldText } from '../catalog/field-text.js';

const kindIs = (...is: string[]) => ({ field: 'kind', is });

export const TRAINING_TEXT: Record<string, FieldText> = {
  optimizer: { label: 'Optimizer' },
  'optimizer.kind': {
    label: 'Kind',
    help: 'adam is a safe start; adamw when using weight decay; sgd with momentum for the classic recipe.',
  },
  'optimizer.learningRate': {
    label: 'Learning rate',
    unit: 'step size',
    help: 'How far each update moves the weights; a schedule scales it over time.',
  },
  'optimizer.momentum': {
    label: 'Momentum',
    help: 'Share of the previous update carried into the next.',
    shownWhen: kindIs('sgd', 'rmsprop'),
  },
  'optimizer.nesterov': {
    label: 'Nesterov',
    help: 'Look-ahead momentum (needs momentum above 0).',
    shownWhen: kindIs('sgd'),
  },
  'optimizer.weightDecay': {
    label: 'Weight decay',
    unit: 'per step',
    help: 'Pulls weights towards 0: decoupled for adamw, added to the gradient (L2) for the others.',
  },
  'optimizer.beta1': {
    label: 'β₁ (momentum decay)',
    help: 'How slowly the running mean of gradients forgets.',
    shownWhen: kindIs('adam', 'adamw'),
  },
  'optimizer.beta2': {
    label: 'β₂ (squared-gradient decay)',
    help: 'How slowly the running mean of squared gradients forgets (RMSprop: ρ).',
    shownWhen: kindIs('adam', 'adamw', 'rmsprop'),
  },
  'optimizer.epsilon': {
    label: 'ε',
    help: 'Added to the denominator so a tiny gradient history never divides by 0.',
    shownWhen: kindIs('adam', 'adamw', 'rmsprop'),
  },
  schedule: { label: 'Learning-rate schedule' },
  'schedule.kind': {
    label: 'Kind',
    help:
      'constant, step (multiply every few epochs), cosine, warm-up then cosine, or reduce when ' +
      'validation stalls.',
  },
  'schedule.stepEpochs': {
    label: 'Every',
    unit: 'epochs',
    help: 'The rate is multiplied by the factor this often.',
    shownWhen: kindIs('step'),
  },
  'schedule.factor': {
    label: 'Factor',
    unit: '× rate',
    help: '0.5 halves the learning rate each time.',
    shownWhen: kindIs('step', 'reduce-on-plateau'),
  },
  'schedule.warmupSteps': {
    label: 'Warm-up',
    unit: 'batches',
    help: 'The rate rises from 0 to the base rate over these batches.',
    shownWhen: kindIs('warmup-cosine'),
  },
  'schedule.minLearningRate': {
    label: 'Lowest rate',
    help: 'The schedule never goes below this.',
    shownWhen: kindIs('cosine', 'warmup-cosine', 'reduce-on-plateau'),
  },
  'schedule.patience': {
    label: 'Patience',
    unit: 'epochs',
    help: 'Epochs without a better validation loss before the rate is reduced.',
    shownWhen: kindIs('reduce-on-plateau'),
  },
  clipping: { label: 'Gradient clipping' },
  'clipping.kind': {
    label: 'Kind',
    help:
      'global-norm scales all gradients together (the usual cure for exploding RNN gradients); value ' +
      'clamps each entry.',
  },
  'clipping.value': {
    label: 'Threshold',
    help: 'global-norm: the largest joint L2 norm; value: the largest absolute entry.',
    shownWhen: kindIs('global-norm', 'value'),
  },
  epochs: { label: 'Epochs', unit: 'passes over the data' },
  batchSize: { label: 'Batch size', unit: 'examples per step' },
  bucketing: {
    label: 'Bucket by length',
    help: 'Batch examples of similar length together so less padding is computed.',
  },
  seed: { label: 'Seed', help: 'The same seed gives the same run (shuffling, dropout, initial weights).' },
  earlyStopping: { label: 'Early stopping' },
  'earlyStopping.patience': {
    label: 'Patience',
    unit: 'epochs, 0 = never stop early',
    help: 'Stop after this many epochs without improvement.',
  },
  'earlyStopping.metric': {
    label: 'Watch',
    help: 'The measure that must improve; validation falls back to training without validation data.',
  },
  'earlyStopping.minDelta': {
    label: 'Smallest improvement',
    help: 'A smaller change does not count as better.',
  },
  saveBest: {
    label: 'Keep the best epoch',
    help: 'Keep a copy of the weights of the best epoch besides the latest.',
  },
  truncatedBptt: { label: 'Truncated backprop through time' },
  'truncatedBptt.steps': {
    label: 'Window',
    unit: 'steps, 0 = off',
    help: 'Long sequences are split into windows of this many steps, carrying the state across.',
  },
  probe: { label: 'Probe (gates, attention, gradient through time)' },
  'probe.everyEpochs': { label: 'Every', unit: 'epochs, 0 = never' },
  'probe.example': {
    label: 'Example',
    unit: 'index',
    help: 'Which validation (else training) example is probed.',
  },
  checkpointEveryEpochs: {
    label: 'Checkpoint every',
    unit: 'epochs',
    help: 'A checkpoint is also written when a run stops.',
  },
};

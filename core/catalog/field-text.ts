// What the inspector says about each block setting: a name in people's words, the unit, one line of
// help, and when the setting matters at all (pooling's scorer size only in attention mode). Shared
// fields are described once by name; a kind overrides where its meaning differs. The schemas keep the
// rules (ranges, defaults); this file keeps the words.

export interface FieldText {
  label: string;
  unit?: string;
  help?: string;
  /** Shown only while a sibling field has one of these values (else the setting has no effect). */
  shownWhen?: { field: string; is: readonly (string | number | boolean)[] };
}

const RATE = 'of the values, 0 = off';

export const PARAM_TEXT: Record<string, FieldText> = {
  role: {
    label: 'Feeds',
    help:
      'Which part of each example enters here: token ids, numbers per step, or the source/target ' +
      'side of a translation.',
  },
  features: { label: 'Numbers per step', unit: 'features', help: 'Taken from the dataset when left empty.' },
  vocabularySize: {
    label: 'Vocabulary size',
    unit: 'tokens',
    help: 'How many different token ids there are; set from the dataset when you import it.',
  },
  dimension: {
    label: 'Vector size',
    unit: 'numbers per token',
    help: 'Each token id becomes a learned vector of this many numbers.',
  },
  oneHot: {
    label: 'One-hot (no learning)',
    help:
      'A fixed one-hot vector of vocabulary size per token instead of learned vectors (classic ' +
      'char-RNN input).',
  },
  maskZero: {
    label: 'Id 0 is padding',
    help: 'Steps whose token id is 0 are masked out of recurrences, pooling and losses.',
  },
  units: {
    label: 'Units',
    unit: 'hidden size',
    help: 'Size of the hidden state: more units, more capacity and more weights.',
  },
  returnSequences: {
    label: 'Output every step',
    help: 'On: one vector per time step (a sequence). Off: only the last step (one vector).',
  },
  dropout: {
    label: 'Input dropout',
    unit: RATE,
    help: 'Share of input features zeroed during training (one mask per sequence).',
  },
  recurrentDropout: {
    label: 'Recurrent dropout',
    unit: RATE,
    help: 'Share of the previous state zeroed during training (variational: one mask per sequence).',
  },
  activation: { label: 'Activation' },
  identityInit: {
    label: 'Identity start',
    help: 'Start the recurrent weights as the identity matrix (IRNN, Le et al. 2015); pairs with relu.',
  },
  unitForgetBias: {
    label: 'Forget bias 1',
    help: 'Start the forget gate open (bias 1), as Keras does, so early gradients flow.',
  },
  chronoMaxDelay: {
    label: 'Chrono init: longest delay',
    unit: 'steps, 0 = off',
    help: 'Initialise gate biases for dependencies up to this many steps apart (Tallec & Ollivier 2018).',
  },
  resetAfter: {
    label: 'Reset after matmul',
    help: 'Apply the reset gate after the recurrent product (PyTorch and cuDNN style, two bias vectors).',
  },
  stateSize: { label: 'State size', unit: 'numbers', help: 'How many state numbers the recurrence carries.' },
  diagonal: {
    label: 'State dynamics',
    help: 'real: each state decays; complex: each state also rotates at a learned frequency (oscillations).',
  },
  learnStep: {
    label: 'Learn the step size',
    help: 'Learn the discretisation step Δ per state (S4D); off: Δ = 1.',
  },
  merge: {
    label: 'Merge directions',
    help: 'How the forward and backward outputs of each step are joined; concat doubles the width.',
  },
  layer: { label: 'Cell' },
  layers: { label: 'Layers', unit: 'stacked', help: 'Copies of the cell on top of each other.' },
  residual: {
    label: 'Residual connections',
    help: 'Every layer after the first adds its input to its output (helps deep stacks).',
  },
  bidirectional: { label: 'Both directions', help: 'Read the source forwards and backwards.' },
  teacherForcing: {
    label: 'Teacher forcing',
    unit: 'share of steps',
    help: 'How often the decoder is fed the right previous token instead of its own guess while training.',
  },
  score: {
    label: 'Score',
    help:
      'How a decoder step is compared with each source step: additive (Bahdanau), dot or general ' +
      '(Luong).',
  },
  scaled: {
    label: 'Scale by √size',
    help: 'Divide dot scores by the square root of the size, as in transformers.',
    shownWhen: { field: 'score', is: ['dot'] },
  },
  heads: {
    label: 'Heads',
    help: 'Attention is split into this many heads that look at the sequence independently.',
  },
  feedForward: {
    label: 'Feed-forward size',
    unit: 'units',
    help: 'Width of the two-layer network after attention.',
  },
  causal: {
    label: 'Causal (no look-ahead)',
    help: 'Each step sees only earlier steps: needed for language models.',
  },
  positionalEncoding: { label: 'Position encoding', help: 'How the order of steps is given to attention.' },
  maxLength: {
    label: 'Longest sequence',
    unit: 'steps',
    help: 'Learned positions exist up to this length.',
    shownWhen: { field: 'positionalEncoding', is: ['learned'] },
  },
  mode: { label: 'Mode' },
  rate: {
    label: 'Rate',
    unit: 'share zeroed',
    help: 'Share of features zeroed during training; the rest are scaled up to keep the mean.',
  },
};

/** Where a kind's field means something else than the shared text says. */
const KIND_PARAM_TEXT: Record<string, Record<string, Partial<FieldText>>> = {
  input: { features: { shownWhen: { field: 'role', is: ['features'] } } },
  pooling: {
    mode: {
      help: 'last: the last real step; mean or max over real steps; attention: a learned weighted sum.',
    },
    units: {
      label: 'Scorer size',
      unit: 'units',
      help: 'Hidden size of the small network that scores each step.',
      shownWhen: { field: 'mode', is: ['attention'] },
    },
  },
  attention: {
    units: {
      label: 'Scorer size',
      unit: 'units',
      help: 'Hidden size of the additive score.',
      shownWhen: { field: 'score', is: ['additive'] },
    },
  },
  dense: {
    units: { label: 'Outputs', unit: 'features', help: 'Numbers each step (or vector) comes out with.' },
  },
  head: {
    units: {
      label: 'Outputs',
      unit: 'classes or targets',
      help: 'Classes, tags or regression targets; set from the dataset.',
    },
    activation: {
      help:
        'softmax for one class among many, sigmoid for independent yes/no outputs, linear for ' +
        'regression.',
    },
  },
  dropout: {
    mode: {
      help: 'standard: a new mask every step; variational: one mask per sequence (for recurrent inputs).',
    },
  },
  stack: {
    dropout: {
      label: 'Dropout between layers',
      help: 'Share of the sequence passed from one layer to the next that is zeroed.',
    },
  },
  'self-attention': {
    dropout: { label: 'Dropout', help: 'Share of attention weights and outputs zeroed during training.' },
  },
  'state-space': { dropout: { help: 'Share of outputs zeroed during training.' } },
  embedding: { dimension: { shownWhen: { field: 'oneHot', is: [false] } } },
  lstm: { unitForgetBias: { shownWhen: { field: 'chronoMaxDelay', is: [0] } } },
  elman: {
    activation: {
      help: 'tanh keeps the state in −1…1; relu with identity start learns long delays ' + '(IRNN).',
    },
  },
};

/** The words for one field of a kind (label, unit, help, when it is shown). */
export function paramText(kind: string, field: string): FieldText | undefined {
  const shared = PARAM_TEXT[field];
  const own = KIND_PARAM_TEXT[kind]?.[field];
  if (!shared && !own) return undefined;
  return { label: field, ...shared, ...own } as FieldText;
}

/** Every described field of a kind, keyed by field name (the inspector's form reads this). */
export function paramTexts(kind: string): Record<string, FieldText> {
  const out: Record<string, FieldText> = {};
  for (const field of new Set([...Object.keys(PARAM_TEXT), ...Object.keys(KIND_PARAM_TEXT[kind] ?? {})])) {
    out[field] = paramText(kind, field)!;
  }
  return out;
}

/** `returnSequences` → `Return sequences`: the fallback for a field nobody described. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// User-visible strings of the watch side of the studio (Training, Gradients, Attention & gates, Playground,
// Runs), kept apart from en.ts so two people can edit them at once. Functions build the strings that carry
// numbers or names.
export const watchText = {
  charts: {
    exportPngHint: 'Save this chart as a PNG image',
    exportCsvHint: 'Save the data behind this chart as CSV',
  },
  training: {
    title: 'Training',
    train: 'Train',
    pause: 'Pause',
    resume: 'Resume',
    stop: 'Stop',
    smoothing: 'Smoothing',
    smoothingTitle:
      'Exponential smoothing of the per-batch curves, as in TensorBoard (0 = raw); ' +
      'the raw curve stays faint behind',
    smoothed: (name: string) => `${name}, smoothed`,
    epochs: 'Epochs',
    learningRate: 'Learning rate',
    runName: 'Run name',
    backendChoice: 'Backend',
    backendChoiceHint:
      'Where the run computes. Automatic times two training steps of this model on each backend that ' +
      'starts (a GPU through WebGPU, WebAssembly, …), keeps the fastest and says what it measured; ' +
      'naming one forces it (a software WebGPU adapter included) and falls down the ladder if it ' +
      'cannot start.',
    backendAuto: 'Automatic',
    logScale: 'Log scale',
    loss: 'Loss',
    lossSubtitle: 'per batch, validation per epoch',
    trainLoss: 'train loss (batch)',
    epochTrainLoss: 'train loss (epoch)',
    validationLoss: 'validation loss',
    metrics: 'Metrics',
    learningRateChart: 'Learning rate',
    throughput: 'Tokens / s',
    noProject:
      'Open or create a project first (New in the toolbar), then press Train to watch it learn here.',
    empty: 'No run yet. Press Train: the loss, metrics and gradients appear here as the model learns.',
    waiting: 'Starting the engine…',
    status: {
      idle: 'Ready',
      starting: 'Starting',
      running: 'Training',
      pausing: 'Pausing…',
      paused: 'Paused',
      completed: 'Finished',
      stopped: 'Stopped',
      failed: 'Failed',
    } as Record<string, string>,
    epochOf: (epoch: number, total: number | undefined) => `epoch ${epoch}${total ? ` / ${total}` : ''}`,
    batchOf: (batch: number, total: number | undefined) => `batch ${batch}${total ? ` / ${total}` : ''}`,
    eta: (text: string) => `ETA ${text}`,
    backend: (name: string) => `backend: ${name}`,
    workers: (n: number) => (n === 1 ? '1 worker' : `${n} workers`),
    checkpoint: (epoch: number, reason: string) =>
      `last checkpoint: epoch ${epoch}${reason && reason !== 'epoch' ? ` (${reason})` : ''}`,
    noCheckpoint: 'no checkpoint yet',
    viewingPast: (name: string) => `Showing past run ${name}`,
    showLive: 'Back to the current run',
  },
  gradients: {
    title: 'Gradients',
    global: 'Global gradient norm',
    globalSubtitle: 'before clipping; ▲ = clipped',
    clippedSeries: 'clipped',
    norm: 'norm',
    /**
     * `decades`: how many orders of magnitude ‖∂loss/∂h₁‖
     * lies below ‖∂loss/∂h_T‖ (negative: above).
     */
    latestProbe: (decades: number) =>
      `Latest probe: ‖∂loss/∂h₁‖ is ${Math.abs(decades).toFixed(1)} orders of magnitude ` +
      `${decades > 0 ? 'below' : 'above'} ‖∂loss/∂h_T‖.`,
    perLayer: 'Gradient norm per layer',
    perGate: (layer: string) => `Gradient norm per gate: ${layer}`,
    block: 'Recurrent block',
    throughTime: (layer: string) => `Gradient through time: ${layer}`,
    timeStep: 'time step',
    epoch: 'epoch',
    throughTimeValue: '‖∂loss/∂hₜ‖',
    caption:
      "Each row is one epoch's probe example; each column a time step t. " +
      'Colour is log10 of ‖∂loss/∂hₜ‖, how much the loss still "feels" the state at step t. ' +
      'Vanishing gradients: the left (early) columns turn dark, orders of magnitude below the right, ' +
      'so early tokens barely learn — typical of an Elman RNN on long sequences. ' +
      'Exploding gradients: colours brighten towards the left or jump between epochs, ' +
      'and the global norm above spikes (clipping marks ▲). ' +
      'An LSTM or GRU usually keeps the row even.',
    empty: 'No gradients yet. Train the model: gradient norms arrive with every batch.',
    noProbe:
      'No probe yet: the gradient-through-time picture is recorded at the end of each epoch ' +
      '(training setting "probe every N epochs").',
    noGates: 'This model reports no gates (it has no LSTM or GRU block).',
  },
  attention: {
    title: 'Attention & gates',
    attentionMap: (layer: string) => `Attention: ${layer}`,
    attentionValue: 'weight',
    source: 'source',
    target: 'target',
    gates: (layer: string, gate: string) => `Gate "${gate}": ${layer}`,
    hidden: (layer: string) => `Hidden state: ${layer}`,
    unit: 'unit',
    time: 'token',
    activation: 'activation',
    block: 'Block',
    probeOf: (epoch: number) => `probe example, epoch ${epoch}`,
    pickEpoch: 'Epoch',
    latestEpoch: 'latest',
    gatePicker: 'gate',
    empty:
      'Nothing to show yet. Train the model: at the end of each epoch the studio records one example ' +
      '(the probe) with its attention weights, gate activations and hidden states.',
    noAttention:
      'This model has no attention block. Attention maps appear for encoder–decoder models with ' +
      'attention (try the date-translation template).',
  },
  histograms: {
    title: 'Histograms',
    weights: 'Weights',
    activations: 'Activations',
    show: 'Show',
    layer: 'Layer',
    tensor: 'Tensor',
    logColour: 'Log colour',
    logColourHint: 'Colour by log10 of the percentage, so thin tails show beside a tall peak',
    weightsTitle: (layer: string, tensor: string) => `Weights: ${layer} · ${tensor}`,
    activationsTitle: (layer: string) => `Activations: ${layer}`,
    activationsSubtitle: 'output on the probe example',
    epoch: 'epoch',
    value: 'value',
    share: 'percent',
    latest: (epoch: number, mean: string, std: string, low: string, high: string) =>
      `Epoch ${epoch}: mean ${mean}, standard deviation ${std}, values from ${low} to ${high}.`,
    nonFinite: (n: number) => ` ${n} ${n === 1 ? 'value is' : 'values are'} NaN or infinite (not drawn).`,
    sampled: (shown: number, epochs: number) =>
      `${shown} of ${epochs} epochs recorded: a long run keeps at most 50, evenly spread, ` +
      `so its history stays small.`,
    caption:
      'Each row is one epoch (oldest at the top), each column a range of values, ' +
      "and the colour the percentage of the tensor's values in that range, " +
      "as TensorBoard's distributions. Weights that spread out or drift are learning; " +
      'rows that stop changing mean the layer has stopped learning. ' +
      'Activations piling up at the ends of their range (±1 for tanh, 0 and 1 for sigmoid) ' +
      'mean saturated units, whose gradients vanish; ' +
      'a range that grows epoch after epoch heads for exploding values.',
    empty:
      'No histograms yet. Train the model: at the end of each epoch the studio records the ' +
      "distribution of every weight tensor and of each layer's output on the probe example.",
  },
  playground: {
    title: 'Playground',
    noProject: 'Open a project and train it; then try the model here.',
    untrained: 'Train the model first (Training tab): the playground uses the latest checkpoint.',
    seed: 'Seed text',
    seedPlaceholder: 'Type the start of a text…',
    temperature: 'Temperature',
    topK: 'Top-k (0 = all)',
    length: 'Length',
    generate: 'Generate',
    generating: 'Generating…',
    probability: (p: number) => `probability ${(p * 100).toFixed(1)}%`,
    tintLegend:
      'Colour = probability the model gave each generated token: green likely, ' +
      'red unlikely (hover for the number).',
    weight: (w: number) => `attention-pooling weight ${w.toFixed(3)}`,
    predicted: 'Prediction',
    classify: 'Classify',
    classifyPlaceholder: 'Type a sentence to classify, e.g. "a warm and funny film"',
    weightsHint: 'Underline thickness = attention-pooling weight of each token.',
    tag: 'Tag',
    tagPlaceholder: 'Type a sentence to tag',
    translate: 'Translate',
    translatePlaceholder: 'Type a date, e.g. "march 3, 2021"',
    predict: 'Predict',
    predictPlaceholder: 'Type an input sequence',
    output: 'Output',
    noAttentionReturned: 'The model returned no attention weights for this input.',
    tryIt: 'Type something and press the button.',
    insideTitle: 'Inside the model: gates and hidden states',
    insideInput: 'Input to look inside the model with',
    insidePlaceholder: 'Type any input, e.g. "a warm and funny film"',
    insideNumbers: 'Type steps as a JSON list, e.g. [[0.5, 1], [0.2, 0]]',
    insideRun: 'Show gates',
    insideHint:
      'Type an input and press Show gates: every recurrent layer’s gate activations and hidden state ' +
      'at each step, for your input.',
    insideNone: 'This model has no recurrent layer: there are no gates or hidden states to show.',
    insideNoGates:
      'This layer reports no gate activations (an Elman RNN has no gates; ' +
      'encoder and decoder blocks report their hidden states): its hidden state is beside.',
  },
  runs: {
    title: 'Runs',
    empty: 'No runs yet. Every time you press Train a run is recorded here, so you can compare them.',
    name: 'Run',
    date: 'Date',
    status: 'Status',
    differs: 'Settings that differ',
    best: 'Best metrics',
    overlay: 'Overlay of the selected runs',
    selectHint: 'Select two or more runs to overlay their curves; select exactly two to see what changed.',
    diffTitle: (a: string, b: string) => `What changed from ${a} to ${b}`,
    setting: 'Setting',
    same: 'Same settings.',
    refresh: 'Refresh',
    validationLoss: 'validation loss',
    trainLoss: 'train loss',
    show: 'Show in Training',
    notes: 'Notes & tags',
    editNotes: 'Note…',
    editNotesFor: (run: string) => `Write a note or tags for ${run}`,
    noteFor: (run: string) => `Note for ${run}`,
    notePlaceholder: 'What you tried, what you saw…',
    saveNote: 'Save note',
    close: 'Close',
    addTag: 'Add tag',
    newTagFor: (run: string) => `New tag for ${run}`,
    tagPlaceholder: 'tag',
    removeTag: (tag: string) => `Remove tag ${tag}`,
    filter: 'Filter by tag:',
    filterAll: 'All runs',
    filterTag: (tag: string) => `Show only runs tagged ${tag}`,
    noneTagged: 'No run carries every chosen tag.',
    saved: 'Saved in the project (save the project to keep it).',
  },
  errors: {
    hostFailed: (what: string, message: string) => `${what} failed: ${message}`,
  },
};

/** "1 h 02 min", "3 min 05 s", "12 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600)
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

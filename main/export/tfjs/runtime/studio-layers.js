// RNN Studio custom layers for TensorFlow.js (@tensorflow/tfjs 4.x). Self-contained: import this module
// once before tf.loadLayersModel, and the model's custom blocks deserialize. Each layer computes what the
// studio block of the same name computes; padding id 0 and masks (true = real step) flow as in tfjs-layers.
import * as tf from '@tensorflow/tfjs';

const zeros = { className: 'Zeros', config: {} };

/** tfjs does not export its RNNCell base class; every built-in cell extends it. */
const RNNCell = Object.getPrototypeOf(tf.layers.gruCell({ units: 1 }).constructor);

function maskOf(mask, like) {
  const m = Array.isArray(mask) ? mask[0] : mask;
  return m ? tf.cast(m, 'float32') : tf.ones(like.shape.slice(0, 2));
}

function project(x, kernel) {
  const [b, t, f] = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [b * t, f]), kernel), [b, t, kernel.shape[1]]);
}

/** GRU cell with the reset gate applied after the recurrent product (Keras reset_after=True, PyTorch's
 * placement); gates z, r, h; bias [2, 3H] = input bias and recurrent bias. tfjs' GRUCell lacks this mode. */
export class StudioGRUCell extends RNNCell {
  constructor(config) {
    super(config);
    this.units = config.units;
    this.stateSize = config.units;
  }
  build(inputShape) {
    const input = inputShape[inputShape.length - 1];
    this.kernel = this.addWeight('kernel', [input, 3 * this.units], 'float32', tf.initializers.zeros());
    this.recurrentKernel = this.addWeight(
      'recurrent_kernel',
      [this.units, 3 * this.units],
      'float32',
      tf.initializers.zeros(),
    );
    this.bias = this.addWeight('bias', [2, 3 * this.units], 'float32', tf.initializers.zeros());
    this.built = true;
  }
  call(inputs) {
    return tf.tidy(() => {
      const [x, h] = inputs;
      const [inBias, recBias] = tf.unstack(this.bias.read());
      const [xz, xr, xh] = tf.split(tf.add(tf.matMul(x, this.kernel.read()), inBias), 3, -1);
      const [hz, hr, hh] = tf.split(tf.add(tf.matMul(h, this.recurrentKernel.read()), recBias), 3, -1);
      const z = tf.sigmoid(tf.add(xz, hz));
      const r = tf.sigmoid(tf.add(xr, hr));
      const candidate = tf.tanh(tf.add(xh, tf.mul(r, hh)));
      const next = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
      return [next, next];
    });
  }
  getConfig() {
    return { ...super.getConfig(), units: this.units };
  }
}
StudioGRUCell.className = 'StudioGRUCell';

const RNN = tf.layers.rnn({ cell: tf.layers.simpleRNNCell({ units: 1 }) }).constructor;

/** The stock RNN layer (any cell), serialised with its cell. Porting note: tfjs 4.22's RNN.fromConfig
 * replaces config.cell by the cell instance, and Bidirectional deserialises one config twice (forward and
 * backward), so a plain RNN with a custom cell cannot be wrapped; this one builds a fresh cell each time. */
export class StudioRNN extends RNN {
  getConfig() {
    return {
      ...super.getConfig(),
      cell: { className: this.cell.getClassName(), config: this.cell.getConfig() },
    };
  }
  static fromConfig(cls, config) {
    const [cellClass, cellFromConfig] =
      tf.serialization.SerializationMap.getMap().classNameMap[config.cell.className];
    const cell = cellFromConfig(cellClass, { ...config.cell.config });
    return new cls({ ...config, cell });
  }
}
StudioRNN.className = 'StudioRNN';

/** A recurrent layer started from a given state (a decoder). Porting note: tfjs 4.22's executor passes one
 * kwargs object to every layer of a predict() and RNN.apply writes `initialState` into it, so the next
 * recurrent layer run (e.g. the encoder, once per output it feeds) would receive the decoder's state; this
 * layer copies its keyword arguments first. */
export class StudioDecoder extends StudioRNN {
  apply(inputs, kwargs) {
    return super.apply(inputs, kwargs == null ? kwargs : { ...kwargs });
  }
}
StudioDecoder.className = 'StudioDecoder';

/** Element-wise sum of its inputs, masked where every input is. Porting note: tfjs 4.22's Add returns a
 * mask of the wrong rank ([1,B,T]), which breaks any recurrent layer after it. */
export class StudioAdd extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.supportsMasking = true;
  }
  computeOutputShape(inputShape) {
    return inputShape[0];
  }
  computeMask(_inputs, mask) {
    const masks = (Array.isArray(mask) ? mask : [mask]).filter((m) => m != null);
    return masks.length === 0 ? null : masks.reduce((a, b) => tf.logicalAnd(a, b));
  }
  call(inputs) {
    return tf.tidy(() => tf.addN(inputs));
  }
}
StudioAdd.className = 'StudioAdd';

/** Token ids to one-hot vectors of the vocabulary size; id 0 (padding) is masked when maskZero. */
export class StudioOneHot extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.vocabularySize = config.vocabularySize;
    this.maskZero = config.maskZero;
    // tfjs only asks layers that support masking for their output mask.
    this.supportsMasking = true;
  }
  computeOutputShape(inputShape) {
    return [...inputShape, this.vocabularySize];
  }
  computeMask(inputs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.maskZero ? tf.notEqual(x, 0) : null;
  }
  call(inputs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(x, 'int32'), this.vocabularySize), 'float32'));
  }
  getConfig() {
    return { ...super.getConfig(), vocabularySize: this.vocabularySize, maskZero: this.maskZero };
  }
}
StudioOneHot.className = 'StudioOneHot';

/** One vector per sequence over real steps: last, mean, max, or attention softmax(w . tanh(W h + b)). */
export class StudioPooling extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.mode = config.mode;
    this.units = config.units;
    this.supportsMasking = true;
  }
  build(inputShape) {
    if (this.mode === 'attention') {
      const f = inputShape[inputShape.length - 1];
      this.kernel = this.addWeight('kernel', [f, this.units], 'float32', tf.initializers.zeros());
      this.biasWeight = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
      this.scoreVector = this.addWeight('score_vector', [this.units], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }
  computeOutputShape(inputShape) {
    return [inputShape[0], inputShape[inputShape.length - 1]];
  }
  computeMask() {
    return null;
  }
  call(inputs, kwargs) {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, t, f] = x.shape;
      const m = maskOf(kwargs.mask, x);
      if (this.mode === 'last') {
        const last = tf.argMax(tf.mul(m, tf.range(0, t)), 1);
        const rows = tf.add(
          tf.mul(tf.range(0, b, 1, 'int32'), tf.scalar(t, 'int32')),
          tf.cast(last, 'int32'),
        );
        return tf.gather(tf.reshape(x, [b * t, f]), rows);
      }
      if (this.mode === 'mean') {
        return tf.div(tf.sum(tf.mul(x, tf.expandDims(m, 2)), 1), tf.maximum(tf.sum(m, 1, true), 1));
      }
      if (this.mode === 'max') {
        const keep = tf.broadcastTo(tf.greater(tf.expandDims(m, 2), 0), x.shape);
        return tf.max(tf.where(keep, x, tf.fill(x.shape, -1e9)), 1);
      }
      const hidden = tf.tanh(
        tf.add(tf.matMul(tf.reshape(x, [b * t, f]), this.kernel.read()), this.biasWeight.read()),
      );
      const scores = tf.reshape(tf.matMul(hidden, tf.reshape(this.scoreVector.read(), [-1, 1])), [b, t]);
      const alpha = tf.mul(tf.softmax(tf.where(tf.greater(m, 0), scores, tf.fill([b, t], -1e9))), m);
      return tf.sum(tf.mul(x, tf.expandDims(alpha, 2)), 1);
    });
  }
  getConfig() {
    return { ...super.getConfig(), mode: this.mode, units: this.units };
  }
}
StudioPooling.className = 'StudioPooling';

/** Diagonal linear recurrence (S4D/LRU family), as the studio's state-space layer: A = -exp(log_rate)
 * (+ i frequency when diagonal is 'complex'), step = exp(log_step) when learnStep (else 1),
 * a = exp(step A), h_t = a h_{t-1} + (a - 1)/A (B x_t) at real steps (padded steps hold the state),
 * y = Re(C h) + skip * x = C h_re - C_imag h_im + skip * x, zero at padded steps. Complex numbers are
 * (real, imaginary) pairs of float tensors, in the studio's order of operations. */
export class StudioStateSpace extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.stateSize = config.stateSize;
    this.diagonal = config.diagonal ?? 'real';
    this.learnStep = config.learnStep === true;
    this.supportsMasking = true;
  }
  build(inputShape) {
    const f = inputShape[inputShape.length - 1];
    const n = this.stateSize;
    const w = (name, shape) => this.addWeight(name, shape, 'float32', tf.initializers.zeros());
    this.logRate = w('log_rate', [n]);
    this.inputKernel = w('input_kernel', [f, n]);
    this.outputKernel = w('output_kernel', [n, f]);
    this.skip = w('skip', [f]);
    if (this.learnStep) this.logStep = w('log_step', [n]);
    if (this.diagonal === 'complex') {
      this.frequency = w('frequency', [n]);
      this.inputKernelImag = w('input_kernel_imag', [f, n]);
      this.outputKernelImag = w('output_kernel_imag', [n, f]);
    }
    this.built = true;
  }
  computeMask(_inputs, mask) {
    return Array.isArray(mask) ? mask[0] : mask;
  }
  /** a = exp(step A) and the input factor (a - 1)/A = (a - 1) conj(A) / |A|^2, each as [re, im]. */
  discretise() {
    const aRe = tf.neg(tf.exp(this.logRate.read()));
    const aIm = this.frequency ? this.frequency.read() : tf.zerosLike(aRe);
    const step = this.logStep ? tf.exp(this.logStep.read()) : tf.onesLike(aRe);
    const magnitude = tf.exp(tf.mul(step, aRe));
    const angle = tf.mul(step, aIm);
    const barRe = tf.mul(magnitude, tf.cos(angle));
    const barIm = tf.mul(magnitude, tf.sin(angle));
    const nr = tf.sub(barRe, 1);
    const norm = tf.add(tf.square(aRe), tf.square(aIm));
    const facRe = tf.div(tf.add(tf.mul(nr, aRe), tf.mul(barIm, aIm)), norm);
    const facIm = tf.div(tf.sub(tf.mul(barIm, aRe), tf.mul(nr, aIm)), norm);
    return { barRe, barIm, facRe, facIm };
  }
  call(inputs, kwargs) {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, t] = x.shape;
      const m = maskOf(kwargs.mask, x);
      const { barRe, barIm, facRe, facIm } = this.discretise();
      const uRe = project(x, this.inputKernel.read());
      const uIm = this.inputKernelImag ? project(x, this.inputKernelImag.read()) : tf.zerosLike(uRe);
      const inRe = tf.unstack(tf.sub(tf.mul(uRe, facRe), tf.mul(uIm, facIm)), 1);
      const inIm = tf.unstack(tf.add(tf.mul(uIm, facRe), tf.mul(uRe, facIm)), 1);
      let re = tf.zeros([b, this.stateSize]);
      let im = tf.zeros([b, this.stateSize]);
      const statesRe = [];
      const statesIm = [];
      const masks = tf.unstack(m, 1);
      for (let s = 0; s < t; s++) {
        const keep = tf.expandDims(masks[s], 1);
        const hold = tf.sub(1, keep);
        const nextRe = tf.add(tf.sub(tf.mul(barRe, re), tf.mul(barIm, im)), inRe[s]);
        const nextIm = tf.add(tf.add(tf.mul(barRe, im), tf.mul(barIm, re)), inIm[s]);
        re = tf.add(tf.mul(keep, nextRe), tf.mul(hold, re));
        im = tf.add(tf.mul(keep, nextIm), tf.mul(hold, im));
        statesRe.push(re);
        statesIm.push(im);
      }
      let y = project(tf.stack(statesRe, 1), this.outputKernel.read());
      if (this.outputKernelImag) y = tf.sub(y, project(tf.stack(statesIm, 1), this.outputKernelImag.read()));
      y = tf.add(y, tf.mul(x, this.skip.read()));
      return tf.mul(y, tf.expandDims(m, 2));
    });
  }
  getConfig() {
    return {
      ...super.getConfig(),
      stateSize: this.stateSize,
      diagonal: this.diagonal,
      learnStep: this.learnStep,
    };
  }
}
StudioStateSpace.className = 'StudioStateSpace';

/** Attention of each query step over a memory. Inputs [memory, query] (memory first: tfjs hands a layer's
 * call() only the mask of its first input, and the memory's padding mask is the one the softmax needs);
 * output the context, masked like the query. Scores: additive v . tanh(q Wq + m Wm), dot q . m
 * (optionally / sqrt(d)), general q . (m Wg^T). */
export class StudioAttention extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.score = config.score;
    this.units = config.units;
    this.scaled = config.scaled;
    this.supportsMasking = true;
  }
  build(inputShape) {
    const m = inputShape[0][inputShape[0].length - 1];
    const q = inputShape[1][inputShape[1].length - 1];
    if (this.score === 'additive') {
      this.queryKernel = this.addWeight('query_kernel', [q, this.units], 'float32', tf.initializers.zeros());
      this.memoryKernel = this.addWeight(
        'memory_kernel',
        [m, this.units],
        'float32',
        tf.initializers.zeros(),
      );
      this.scoreVector = this.addWeight('score_vector', [this.units], 'float32', tf.initializers.zeros());
    } else if (this.score === 'general') {
      this.kernel = this.addWeight('kernel', [q, m], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }
  computeOutputShape(inputShape) {
    return [inputShape[1][0], inputShape[1][1], inputShape[0][inputShape[0].length - 1]];
  }
  computeMask(_inputs, mask) {
    return Array.isArray(mask) ? (mask[1] ?? null) : null;
  }
  call(inputs, kwargs) {
    return tf.tidy(() => {
      const [memory, query] = inputs;
      const [b, tq] = query.shape;
      const s = memory.shape[1];
      let scores;
      if (this.score === 'additive') {
        const q = tf.expandDims(project(query, this.queryKernel.read()), 2);
        const k = tf.expandDims(project(memory, this.memoryKernel.read()), 1);
        const hidden = tf.tanh(tf.add(q, k));
        scores = tf.reshape(
          tf.matMul(tf.reshape(hidden, [-1, this.units]), tf.reshape(this.scoreVector.read(), [-1, 1])),
          [b, tq, s],
        );
      } else {
        const keys = this.score === 'general' ? project(memory, tf.transpose(this.kernel.read())) : memory;
        scores = tf.matMul(query, keys, false, true);
        if (this.score === 'dot' && this.scaled) scores = tf.div(scores, Math.sqrt(memory.shape[2]));
      }
      const given = Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask;
      const memoryMask = given ? tf.cast(given, 'float32') : tf.ones([b, s]);
      const m = tf.broadcastTo(tf.reshape(memoryMask, [b, 1, s]), scores.shape);
      const weights = tf.mul(tf.softmax(tf.where(tf.greater(m, 0), scores, tf.fill(scores.shape, -1e9))), m);
      return tf.matMul(weights, memory);
    });
  }
  getConfig() {
    return { ...super.getConfig(), score: this.score, units: this.units, scaled: this.scaled };
  }
}
StudioAttention.className = 'StudioAttention';

/** Post-norm Transformer encoder layer (ReLU feed-forward, layer norm eps 1e-5) with positional encoding. */
export class StudioSelfAttention extends tf.layers.Layer {
  constructor(config) {
    super(config);
    Object.assign(this, {
      heads: config.heads,
      feedForward: config.feedForward,
      causal: config.causal,
      positionalEncoding: config.positionalEncoding,
      maxLength: config.maxLength,
    });
    this.supportsMasking = true;
  }
  build(inputShape) {
    const d = inputShape[inputShape.length - 1];
    const w = (name, shape) => this.addWeight(name, shape, 'float32', tf.initializers.zeros());
    this.w = {};
    for (const p of ['query', 'key', 'value', 'output']) {
      this.w[`${p}/kernel`] = w(`${p}/kernel`, [d, d]);
      this.w[`${p}/bias`] = w(`${p}/bias`, [d]);
    }
    Object.assign(this.w, {
      'norm1/gamma': w('norm1/gamma', [d]),
      'norm1/beta': w('norm1/beta', [d]),
      'ffn1/kernel': w('ffn1/kernel', [d, this.feedForward]),
      'ffn1/bias': w('ffn1/bias', [this.feedForward]),
      'ffn2/kernel': w('ffn2/kernel', [this.feedForward, d]),
      'ffn2/bias': w('ffn2/bias', [d]),
      'norm2/gamma': w('norm2/gamma', [d]),
      'norm2/beta': w('norm2/beta', [d]),
    });
    if (this.positionalEncoding === 'learned') this.w.positions = w('positions', [this.maxLength, d]);
    this.built = true;
  }
  computeMask(_inputs, mask) {
    return Array.isArray(mask) ? mask[0] : mask;
  }
  call(inputs, kwargs) {
    return tf.tidy(() => {
      let x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, t, d] = x.shape;
      const r = (k) => this.w[k].read();
      if (this.positionalEncoding === 'sinusoidal') {
        const table = new Float32Array(t * d);
        for (let p = 0; p < t; p++)
          for (let i = 0; i < d; i++) {
            const angle = p / Math.pow(10000, (2 * Math.floor(i / 2)) / d);
            table[p * d + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
          }
        x = tf.add(x, tf.tensor2d(table, [t, d]));
      } else if (this.positionalEncoding === 'learned') {
        x = tf.add(x, tf.slice(r('positions'), [0, 0], [t, d]));
      }
      const h = this.heads;
      const k = d / h;
      const flat = tf.reshape(x, [b * t, d]);
      const dense = (y, name) => tf.add(tf.matMul(y, r(`${name}/kernel`)), r(`${name}/bias`));
      const split = (y) => tf.transpose(tf.reshape(y, [b, t, h, k]), [0, 2, 1, 3]);
      const q = split(dense(flat, 'query'));
      const key = split(dense(flat, 'key'));
      const v = split(dense(flat, 'value'));
      let scores = tf.div(tf.matMul(q, key, false, true), Math.sqrt(k));
      let allowed = tf.reshape(maskOf(kwargs.mask, x), [b, 1, 1, t]);
      if (this.causal)
        allowed = tf.mul(allowed, tf.reshape(tf.linalg.bandPart(tf.ones([t, t]), -1, 0), [1, 1, t, t]));
      const keep = tf.broadcastTo(allowed, scores.shape);
      scores = tf.where(tf.greater(keep, 0), scores, tf.fill(scores.shape, -1e9));
      const weights = tf.mul(tf.softmax(scores), keep);
      const merged = tf.reshape(tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]), [b * t, d]);
      const norm = (y, name) => {
        const { mean, variance } = tf.moments(y, -1, true);
        return tf.add(
          tf.mul(tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, 1e-5))), r(`${name}/gamma`)),
          r(`${name}/beta`),
        );
      };
      const x1 = norm(tf.add(flat, dense(merged, 'output')), 'norm1');
      const y = norm(tf.add(x1, dense(tf.relu(dense(x1, 'ffn1')), 'ffn2')), 'norm2');
      return tf.reshape(y, [b, t, d]);
    });
  }
  getConfig() {
    const { heads, feedForward, causal, positionalEncoding, maxLength } = this;
    return { ...super.getConfig(), heads, feedForward, causal, positionalEncoding, maxLength };
  }
}
StudioSelfAttention.className = 'StudioSelfAttention';

/** Zeros [batch, units] shaped by its input's batch: the cell state an LSTM decoder starts from when the
 * encoder hands on no cell state (a GRU or Elman encoder), as the studio does. */
export class StudioZeroState extends tf.layers.Layer {
  constructor(config) {
    super(config);
    this.units = config.units;
  }
  computeOutputShape(inputShape) {
    return [inputShape[0], this.units];
  }
  call(inputs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.zeros([x.shape[0], this.units]);
  }
  getConfig() {
    return { ...super.getConfig(), units: this.units };
  }
}
StudioZeroState.className = 'StudioZeroState';

for (const cls of [
  StudioAdd,
  StudioRNN,
  StudioDecoder,
  StudioGRUCell,
  StudioOneHot,
  StudioPooling,
  StudioStateSpace,
  StudioAttention,
  StudioSelfAttention,
  StudioZeroState,
]) {
  tf.serialization.registerClass(cls);
}

export { zeros };

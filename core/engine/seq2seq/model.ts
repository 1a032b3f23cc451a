// A complete encoder–decoder as a StudioModel: embeddings, encoder, bridge, decoder with attention, a
// softmax head, masked cross-entropy, token accuracy and exact match. The verify scripts train it; the
// graph compiler can call the same pieces (encode, bridgeStates, decodeSequence) for the catalog's
// Encoder, Decoder and Attention blocks. Weight names: `${node}/source_embedding/embeddings`,
// `${node}/encoder/…`, `${node}/decoder/…` (bridge and attention inside), `${node}/head/kernel|bias`.
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, BatchTensor } from '../../data/batch.js';
import type { ForwardResult, NamedWeight, StudioModel } from '../types.js';
import { cellGates } from '../ops/recurrent.js';
import type { PreparedMemory } from '../ops/attention.js';
import { bridgeStates, bridgeWeightShapes, type BridgeSpec } from './bridge.js';
import { decodeSequence, decoderStep, decoderWeightShapes, prepareDecoderMemory, type DecoderSpec } from './decoder.js';
import { encode, encoderOutputSize, encoderWeightShapes, type EncoderSpec } from './encoder.js';
import { embeddingLookup } from '../ops/embeddingLookup.js';
import { initialValue, seededRandom } from './init.js';
import type { CellState } from '../ops/recurrent.js';
import type { WeightLookup } from './weights.js';

export interface Seq2SeqConfig {
  node: string;
  sourceVocabulary: number;
  targetVocabulary: number;
  embedding: number;
  encoder: EncoderSpec;
  decoder: DecoderSpec;
  /** Probability of feeding the true previous token while training (1 = teacher forcing; < 1 = scheduled sampling). */
  teacherForcing: number;
  seed: number;
}

export interface Seq2SeqModel extends StudioModel {
  readonly config: Seq2SeqConfig;
  /** Encode sources [B,S] (+ mask) into the decoder's starting carry, for greedy/beam decoding. */
  start(source: tf.Tensor2D, sourceMask: tf.Tensor2D | null): DecoderCarry;
  /** One decoding step: previous tokens [B] -> log-probabilities [B,V], weights [B,S] and the next carry. */
  step(prev: tf.Tensor1D, carry: DecoderCarry): { logProbs: tf.Tensor2D; attention: tf.Tensor2D | null; carry: DecoderCarry };
}

export interface DecoderCarry {
  states: CellState[];
  memory: PreparedMemory | null;
}

function weightShapes(c: Seq2SeqConfig): Record<string, number[]> {
  const memorySize = encoderOutputSize(c.encoder);
  const prefix = (p: string, shapes: Record<string, number[]>) => Object.fromEntries(Object.entries(shapes).map(([k, v]) => [`${p}/${k}`, v]));
  return {
    'source_embedding/embeddings': [c.sourceVocabulary, c.embedding],
    'target_embedding/embeddings': [c.targetVocabulary, c.embedding],
    ...prefix('encoder', encoderWeightShapes(c.encoder, c.embedding)),
    ...prefix('decoder', { ...bridgeWeightShapes(bridgeSpec(c)), ...decoderWeightShapes(c.decoder, c.embedding, memorySize) }),
    'head/kernel': [c.decoder.cell.units, c.targetVocabulary],
    'head/bias': [c.targetVocabulary],
  };
}

function bridgeSpec(c: Seq2SeqConfig): BridgeSpec {
  return { encoderSize: encoderOutputSize(c.encoder), decoderUnits: c.decoder.cell.units, decoderIsLstm: c.decoder.cell.kind === 'lstm' };
}

function toTensor(t: BatchTensor | undefined, field: string): tf.Tensor {
  if (!t) throw new Error(`seq2seq model: the batch has no '${field}' (a sequence-to-sequence batch needs source, sourceMask, targetIn, targetOut, targetMask)`);
  return tf.tensor(t.data, t.shape, t.dtype);
}

export function createSeq2SeqModel(config: Seq2SeqConfig): Seq2SeqModel {
  const random = seededRandom(config.seed);
  const vars = new Map<string, tf.Variable>();
  const weights: NamedWeight[] = [];
  for (const [name, shape] of Object.entries(weightShapes(config))) {
    const part = name.split('/')[0]!;
    const lstmUnits = part === 'encoder' && config.encoder.cell.kind === 'lstm' ? config.encoder.cell.units
      : part === 'decoder' && config.decoder.cell.kind === 'lstm' && !name.includes('/bridge/') ? config.decoder.cell.units : null;
    const variable = tf.variable(tf.tensor(initialValue(name, shape, random, lstmUnits), shape), true, `${config.node}/${name}`);
    vars.set(name, variable);
    const kind = part === 'encoder' ? config.encoder.cell.kind : config.decoder.cell.kind;
    const recurrent = /(^|\/)(kernel|recurrent_kernel|bias)$/.test(name) && !/bridge|attention|head/.test(name) && (part === 'encoder' || part === 'decoder');
    weights.push({ name: `${config.node}/${name}`, node: config.node, variable, ...(recurrent ? { gates: cellGates(kind) } : {}) });
  }
  const get = (name: string): tf.Tensor => {
    const v = vars.get(name);
    if (!v) throw new Error(`seq2seq model ${config.node}: no weight '${name}'`);
    return v;
  };
  const under = (p: string): WeightLookup => (name) => get(`${p}/${name}`);
  const embed = (table: string, ids: tf.Tensor) => embeddingLookup(get(`${table}/embeddings`) as tf.Tensor2D, ids);
  const logits = (h: tf.Tensor2D) => tf.add(tf.matMul(h, get('head/kernel') as tf.Tensor2D), get('head/bias')) as tf.Tensor2D;

  function start(source: tf.Tensor2D, sourceMask: tf.Tensor2D | null): DecoderCarry {
    const enc = encode(embed('source_embedding', source) as tf.Tensor3D, sourceMask, config.encoder, under('encoder'));
    const states = bridgeStates(enc.states, config.decoder.layers, bridgeSpec(config), under('decoder'));
    return { states, memory: prepareDecoderMemory(enc.memory, sourceMask, config.decoder, under('decoder')) };
  }

  function step(prev: tf.Tensor1D, carry: DecoderCarry, mask: Float32Array | null = null) {
    const r = decoderStep(embed('target_embedding', prev) as tf.Tensor2D, carry.states, config.decoder, under('decoder'), carry.memory, mask);
    return { logProbs: tf.logSoftmax(logits(r.output)), attention: r.attention, carry: { states: r.states, memory: carry.memory } };
  }

  /** Scheduled sampling (Bengio et al. 2015): each step feeds the true token with probability p, else the model's own argmax. */
  function sampledDecode(carry: DecoderCarry, targetIn: tf.Tensor2D, targetMask: tf.Tensor2D) {
    const [b, t] = targetIn.shape;
    const truth = targetIn.arraySync();
    const maskData = targetMask.dataSync();
    const steps: tf.Tensor2D[] = [];
    const atts: tf.Tensor2D[] = [];
    let prevPred: Int32Array | null = null;
    for (let s = 0; s < t; s++) {
      const tokens = Int32Array.from({ length: b }, (_, i) => (prevPred && random() >= config.teacherForcing ? prevPred[i]! : truth[i]![s]!));
      const stepMask = Float32Array.from({ length: b }, (_, i) => maskData[i * t + s]!);
      const r = step(tf.tensor1d(tokens, 'int32'), carry, stepMask);
      steps.push(r.logProbs);
      if (r.attention) atts.push(r.attention);
      prevPred = tf.argMax(r.logProbs, 1).dataSync() as Int32Array;
      carry = r.carry;
    }
    return { logProbs: tf.stack(steps, 1) as tf.Tensor3D, attention: atts.length ? (tf.stack(atts, 1) as tf.Tensor3D) : null };
  }

  function forward(batch: Batch, options: { training: boolean }): ForwardResult {
    const source = toTensor(batch.source, 'source') as tf.Tensor2D;
    const sourceMask = toTensor(batch.sourceMask, 'sourceMask') as tf.Tensor2D;
    const targetIn = toTensor(batch.targetIn, 'targetIn') as tf.Tensor2D;
    const targetOut = toTensor(batch.targetOut, 'targetOut') as tf.Tensor2D;
    const targetMask = toTensor(batch.targetMask, 'targetMask') as tf.Tensor2D;
    const carry = start(source, sourceMask);
    let logProbs: tf.Tensor3D;
    let attention: tf.Tensor3D | null;
    if (options.training && config.teacherForcing < 1) {
      ({ logProbs, attention } = sampledDecode(carry, targetIn, targetMask));
    } else {
      const d = decodeSequence(embed('target_embedding', targetIn) as tf.Tensor3D, targetMask, carry.states, config.decoder, under('decoder'), carry.memory);
      const [b, t, h] = d.output.shape;
      logProbs = tf.reshape(tf.logSoftmax(logits(tf.reshape(d.output, [b * t, h]))), [b, t, config.targetVocabulary]);
      attention = d.attention;
    }
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(targetOut, 'int32'), config.targetVocabulary)), 2);
    const count = tf.sum(targetMask);
    const loss = tf.div(tf.neg(tf.sum(tf.mul(picked, targetMask))), tf.maximum(count, 1)) as tf.Scalar;
    const correct = tf.mul(tf.cast(tf.equal(tf.argMax(logProbs, 2), tf.cast(targetOut, 'int32')), 'float32'), targetMask);
    const accuracy = tf.div(tf.sum(correct), tf.maximum(count, 1)) as tf.Scalar;
    const exactMatch = tf.mean(tf.cast(tf.equal(tf.sum(correct, 1), tf.sum(targetMask, 1)), 'float32')) as tf.Scalar;
    const outputs: Record<string, tf.Tensor> = { [`${config.node}/probabilities`]: tf.exp(logProbs) };
    if (attention) outputs[`${config.node}/attention`] = attention;
    return { loss, outputs, metrics: { accuracy, exactMatch }, count: count.dataSync()[0] ?? 0 };
  }

  return {
    config,
    weights,
    forward,
    start,
    step: (prev, carry) => step(prev, carry),
    dispose: () => vars.forEach((v) => v.dispose()),
  };
}

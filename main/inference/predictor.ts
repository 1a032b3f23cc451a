// A trained project ready to predict: the graph compiled once by the engine (core/engine/compile.ts, the
// same forward pass training runs, here in inference mode: no targets, no dropout) with its trained
// weights, and its tokenizer. predict() reads one input (text, or a JSON list of feature steps) and
// returns the task's result shape; generate() samples text from a language model; translate decodes
// greedily or with a beam; inside() shows every recurrent layer's gates and hidden states for an input.
import * as tf from '@tensorflow/tfjs-core';
import type { InsideResult } from '../../core/api/playground.js';
import type { Batch } from '../../core/data/batch.js';
import { BOS, EOS, loadTokenizer, type Tokenizer } from '../../core/data/tokenizers/index.js';
import { compileGraph } from '../../core/engine/compile.js';
import { beamSearch } from '../../core/engine/decode/beamSearch.js';
import { greedyDecode } from '../../core/engine/decode/greedy.js';
import type { DecoderSteps } from '../../core/engine/decode/types.js';
import { dataFactsOf, type ProjectDoc } from '../../core/project/index.js';
import { exportConfig, type ExportConfig } from '../export/exportConfig.js';
import { planModel, type ModelPlan } from '../export/plan.js';
import { checkWeights, seededRandom, type WeightValues } from '../export/weights.js';
import { insideOf } from './inside.js';
import { r4, ranked, type GenerateResult, type PredictResult, type TranslationResult } from './results.js';

export class InferenceError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'InferenceError';
  }
}

export interface PredictOptions {
  /** Seq2seq: beam width (1 = greedy). */
  beamWidth?: number;
}

export interface GenerateOptions {
  seed: string;
  length: number;
  temperature: number;
  /** Sample only among the K most likely tokens; 0 or absent = all. */
  topK?: number;
  /** Seeds the sampling, so a generation can be repeated. */
  randomSeed?: number;
}

export interface Predictor {
  readonly task: ProjectDoc['task'];
  predict(input: string, options?: PredictOptions): PredictResult;
  generate(options: GenerateOptions): GenerateResult;
  /** Gate activations and hidden states of every recurrent layer for a typed input. */
  inside(input: string): InsideResult;
  /** Releases the compiled model's weights. */
  dispose(): void;
}

/** Token inputs carry their masks as training batches do: every non-zero id is a real step (0 = padding). */
function withMasks(batch: Batch): Batch {
  const maskOf = (t: NonNullable<Batch['tokens']>): NonNullable<Batch['mask']> => ({
    dtype: 'float32',
    shape: t.shape,
    data: Float32Array.from(t.data, (id) => (id !== 0 ? 1 : 0)),
  });
  return {
    ...batch,
    ...(batch.tokens && !batch.mask ? { mask: maskOf(batch.tokens) } : {}),
    ...(batch.source && !batch.sourceMask ? { sourceMask: maskOf(batch.source) } : {}),
    ...(batch.targetIn && !batch.targetMask ? { targetMask: maskOf(batch.targetIn) } : {}),
  };
}

const ints = (rows: number[][]): Batch['tokens'] => {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const data = new Int32Array(rows.length * width);
  rows.forEach((r, i) => data.set(r, i * width));
  return { dtype: 'int32', shape: [rows.length, width], data };
};

export function createPredictor(doc: ProjectDoc, weights: WeightValues): Predictor {
  const plan: ModelPlan = planModel(doc.graph, dataFactsOf(doc));
  checkWeights(plan, weights);
  const config: ExportConfig = exportConfig(doc, plan);
  const head = plan.heads[0]!.id;
  const model = compileGraph(doc.graph, { task: doc.task, data: dataFactsOf(doc), anonymousVariables: true });
  try {
    model.setWeights(weights);
  } catch (error) {
    model.dispose();
    throw error;
  }
  let tokenizer: Tokenizer | null = null;
  const needTokenizer = (): Tokenizer => {
    if (tokenizer) return tokenizer;
    const spec = doc.dataset;
    if (!spec?.vocabulary)
      throw new InferenceError(
        'The project has no vocabulary yet: attach a dataset and train the model first.',
        'dataset',
      );
    tokenizer = loadTokenizer(spec.tokenizer, spec.vocabulary);
    return tokenizer;
  };
  /** Runs the model on a batch and returns the head's output and any attention weights as arrays. */
  const run = (
    batch: Batch,
  ): {
    out: Float32Array;
    shape: number[];
    attention: Record<string, { data: Float32Array; shape: number[] }>;
  } =>
    tf.tidy(() => {
      const { outputs } = model.predict(withMasks(batch));
      const attention: Record<string, { data: Float32Array; shape: number[] }> = {};
      for (const [k, v] of Object.entries(outputs))
        if (k.endsWith('/attention')) attention[k] = { data: v.dataSync() as Float32Array, shape: v.shape };
      return { out: outputs[head]!.dataSync() as Float32Array, shape: outputs[head]!.shape, attention };
    });
  const label = (i: number) => config.labels?.[i] ?? String(i);
  const show = (t: Tokenizer, token: string) => t.display(token);

  /** A typed input as the model reads it (every task but seq2seq), with the labels of its time steps. */
  function readInput(
    input: string,
  ):
    | { kind: 'features'; batch: Batch; steps: string[] }
    | { kind: 'tokens'; batch: Batch; steps: string[]; t: Tokenizer; tokens: string[]; ids: number[] } {
    if (config.inputRole === 'features') {
      let steps: unknown;
      try {
        steps = JSON.parse(input);
      } catch {
        throw new InferenceError(
          'This model reads numbers: give the input as a JSON list of steps, e.g. [[0.5, 1], [0.2, 0]].',
          'input',
        );
      }
      const f = Number(plan.inputs.features!.params.features);
      if (
        !Array.isArray(steps) ||
        steps.length === 0 ||
        steps.some((s) => !Array.isArray(s) || s.length !== f || s.some((v) => typeof v !== 'number'))
      ) {
        throw new InferenceError(
          `This model reads ${f} number(s) per step: give a JSON list of steps, each a list of ${f} numbers.`,
          'input',
        );
      }
      const rows = steps as number[][];
      return {
        kind: 'features',
        batch: {
          features: { dtype: 'float32', shape: [1, rows.length, f], data: Float32Array.from(rows.flat()) },
        },
        steps: rows.map((_, i) => `#${i + 1}`),
      };
    }
    const t = needTokenizer();
    const tokens = t.tokenize(input);
    const lm = config.task === 'language-model';
    const ids = [...(lm ? [BOS] : []), ...t.encode(input)];
    if (ids.length === 0) throw new InferenceError('The input has no tokens: type some text.', 'input');
    const steps = [...(lm ? [show(t, t.vocabulary.token(BOS))] : []), ...tokens.map((k) => show(t, k))];
    return { kind: 'tokens', batch: { tokens: ints([ids]) }, steps, t, tokens, ids };
  }

  function predict(input: string, options: PredictOptions = {}): PredictResult {
    if (config.task === 'seq2seq') return translate(input, options.beamWidth ?? 1);
    const typed = readInput(input);
    if (typed.kind === 'features') {
      const { out } = run(typed.batch);
      return { task: 'regression', input, values: Array.from(out, r4) };
    }
    const { t, tokens, ids } = typed;
    const { out, shape, attention } = run(typed.batch);
    const units = shape[shape.length - 1]!;
    if (config.task === 'regression') return { task: 'regression', input, values: Array.from(out, r4) };
    if (config.task === 'classification') {
      const probs = units === 1 ? [1 - out[0]!, out[0]!] : Array.from(out);
      const order = ranked(probs);
      const result: PredictResult = {
        task: 'classification',
        input,
        label: label(order[0]!),
        probabilities: order.map((i) => ({ label: label(i), probability: r4(probs[i]!) })),
      };
      const weights = config.attentionPooling ? attention[`${config.attentionPooling}/attention`] : undefined;
      if (weights)
        result.tokens = tokens.map((token, i) => ({ token: show(t, token), weight: r4(weights.data[i]!) }));
      return result;
    }
    if (config.task === 'tagging') {
      return {
        task: 'tagging',
        input,
        tokens: tokens.map((token, i) => {
          const row = out.subarray(i * units, (i + 1) * units);
          const best = ranked(row, 1)[0]!;
          return { token: show(t, token), tag: label(best), probability: r4(row[best]!) };
        }),
      };
    }
    const last = out.subarray((ids.length - 1) * units, ids.length * units);
    return {
      task: 'language-model',
      input,
      next: ranked(last, 5).map((i) => ({
        token: show(t, t.vocabulary.token(i)),
        probability: r4(last[i]!),
      })),
    };
  }

  /** The source's ids and the decoded output's ids (without the end token), greedy or by beam. */
  function decodeIds(
    input: string,
    beamWidth: number,
  ): { t: Tokenizer; source: number[]; generated: number[] } {
    const t = needTokenizer();
    const source = t.encode(input);
    if (source.length === 0) throw new InferenceError('The input has no tokens: type some text.', 'input');
    const vocabularySize = Number(plan.heads[0]!.params.units);
    // The state of a row is its target prefix; each step reruns the model on the prefixes (short outputs).
    const steps: DecoderSteps<number[][]> = {
      vocabularySize,
      step(prev, state) {
        const prefixes = state.map((p, r) => [...p, prev[r]!]);
        const { out } = run(batchFor(source, prefixes));
        const width = prefixes[0]!.length;
        const logProbs = new Float32Array(prefixes.length * vocabularySize);
        for (let r = 0; r < prefixes.length; r++) {
          const at = (r * width + width - 1) * vocabularySize;
          for (let j = 0; j < vocabularySize; j++) logProbs[r * vocabularySize + j] = Math.log(out[at + j]!);
        }
        return { logProbs, state: prefixes };
      },
      select: (state, rows) => Array.from(rows, (r) => state[r]!),
    };
    const options = { start: BOS, end: EOS, maxLength: config.maxLength };
    const best =
      beamWidth > 1
        ? beamSearch(steps, [[]], { ...options, width: beamWidth })[0]!
        : greedyDecode(steps, [[]], 1, options)[0]!;
    const generated = best.tokens.filter((id, i) => !(id === EOS && i === best.tokens.length - 1));
    return { t, source, generated };
  }

  function batchFor(source: number[], prefixes: number[][]): Batch {
    return { source: ints(prefixes.map(() => source)), targetIn: ints(prefixes) };
  }

  function translate(input: string, beamWidth: number): TranslationResult {
    const { t, source, generated } = decodeIds(input, beamWidth);
    const vocabularySize = Number(plan.heads[0]!.params.units);
    // One last run on the whole output gives each chosen token's probability and the attention rows.
    const { out, attention } = run(batchFor(source, [[BOS, ...generated]]));
    const result: TranslationResult = {
      task: 'seq2seq',
      input,
      output: t.decode(generated),
      tokens: generated.map((id, i) => ({
        token: show(t, t.vocabulary.token(id)),
        probability: r4(out[i * vocabularySize + id]!),
      })),
      source: t.tokenize(input).map((token) => show(t, token)),
    };
    const weights = config.attention ? attention[`${config.attention}/attention`] : undefined;
    if (weights) {
      const s = weights.shape[2]!;
      result.attention = generated.map((_, i) => Array.from(weights.data.subarray(i * s, (i + 1) * s), r4));
    }
    return result;
  }

  /** Every recurrent layer's gates and hidden states for a typed input (seq2seq: after a greedy decode). */
  function inside(input: string): InsideResult {
    if (config.task === 'seq2seq') {
      const { t, source, generated } = decodeIds(input, 1);
      const sourceSteps = t.tokenize(input).map((k) => show(t, k));
      const targetSteps = [BOS, ...generated].map((id) => show(t, t.vocabulary.token(id)));
      const decoders = new Set(doc.graph.nodes.filter((n) => n.kind === 'decoder').map((n) => n.id));
      return insideOf(
        model,
        withMasks(batchFor(source, [[BOS, ...generated]])),
        (node) => (decoders.has(node) ? targetSteps : sourceSteps),
        input,
      );
    }
    const typed = readInput(input);
    return insideOf(model, withMasks(typed.batch), () => typed.steps, input);
  }

  function generate(options: GenerateOptions): GenerateResult {
    if (config.task !== 'language-model')
      throw new InferenceError(
        `Generate needs a language model; this project is ${config.task}. Use predict.`,
        'task',
      );
    if (!(options.temperature > 0))
      throw new InferenceError('The temperature must be above 0.', 'temperature');
    if (!Number.isInteger(options.length) || options.length < 1)
      throw new InferenceError('The length must be a whole number of tokens, at least 1.', 'length');
    const t = needTokenizer();
    const random = seededRandom(options.randomSeed ?? Date.now());
    const ids = [BOS, ...t.encode(options.seed)];
    const chosen: { id: number; probability: number }[] = [];
    for (let step = 0; step < options.length; step++) {
      const context = ids.slice(-config.maxLength);
      const { out } = run({ tokens: ints([context]) });
      const v = out.length / context.length;
      const probs = out.subarray((context.length - 1) * v);
      const id = sample(probs, options.temperature, options.topK ?? 0, random);
      if (id === EOS) break;
      ids.push(id);
      chosen.push({ id, probability: probs[id]! });
    }
    return {
      task: 'language-model',
      seed: options.seed,
      text: t.decode(chosen.map((c) => c.id)),
      tokens: chosen.map((c) => ({
        token: show(t, t.vocabulary.token(c.id)),
        probability: r4(c.probability),
      })),
    };
  }

  return { task: config.task, predict, inside, generate, dispose: () => model.dispose() };
}

/** Samples an id from probabilities sharpened by 1/temperature, among the top K (0 = all). */
export function sample(
  probs: ArrayLike<number>,
  temperature: number,
  topK: number,
  random: () => number,
): number {
  const candidates = topK > 0 ? ranked(probs, topK) : Array.from({ length: probs.length }, (_, i) => i);
  const weights = candidates.map((i) => Math.exp(Math.log(Math.max(probs[i]!, 1e-30)) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let u = random() * total;
  for (let k = 0; k < candidates.length; k++) {
    u -= weights[k]!;
    if (u <= 0) return candidates[k]!;
  }
  return candidates[candidates.length - 1]!;
}

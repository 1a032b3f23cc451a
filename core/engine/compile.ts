// Compiles a validated studio graph into a trainable StudioModel: one variable per catalog weight
// (named `${node}/${weight}`, Keras layout), and a forward pass that runs the block builders in wire
// order, carrying masks end to end, then turns each head's logits into a masked loss and metrics.
import * as tf from '@tensorflow/tfjs-core';
import type { DataFacts } from '../catalog/types.js';
import type { Batch } from '../data/batch.js';
import type { TaskId } from '../data/spec.js';
import type { Graph } from '../graph/types.js';
import { analyzeGraph } from '../graph/validate.js';
import type { GraphInference } from '../graph/infer.js';
import { BUILDERS, type BlockContext, type Flow } from './blocks/index.js';
import { type InitHints, initialValue, seeded } from './init.js';
import { type HeadActivation, headLoss, headOutput } from './losses.js';
import { cellGates, type CellKind } from './ops/recurrent.js';
import type { ForwardOptions, ForwardResult, LayerActivation, NamedWeight, StudioModel } from './types.js';
import { argmaxTokens, mixTargetInputs, samplingRate } from './seq2seq/scheduledSampling.js';
import './gradients.js';
import { own } from '../records/own.js';

export interface CompileOptions {
  task: TaskId;
  /** What the dataset says (vocabulary, features, classes), checked against the graph. */
  data?: DataFacts;
  /** Seeds the initial weights and dropout masks. */
  seed?: number;
  /**
   * Leave the tfjs variables unnamed. tfjs registers variable names process-wide; a model compiled for
   * inference (a predictor per trained project, beside a training run) must not claim `${node}/${weight}`.
   * Training keeps the names (optimizer state and checkpoints refer to them).
   */
  anonymousVariables?: boolean;
}

export interface CompiledModel extends StudioModel {
  readonly task: TaskId;
  /**
   * Inference: the forward pass without targets, loss or dropout. `outputs` holds each head's predictions
   * (by head id) and `${node}/attention` weights, plus the probe's outputs when `probe` is set. Tensors
   * created are the caller's to tidy.
   */
  predict(batch: Batch, options?: { probe?: boolean }): { outputs: Record<string, tf.Tensor> };
  /** Sets every weight from trained values (by name, Keras layout); throws naming a missing or wrong one. */
  setWeights(values: Record<string, { data: ArrayLike<number>; shape: number[] }>): void;
  /** Head node ids, in graph order; `outputs[head]` holds each one's predictions. */
  readonly heads: string[];
  readonly inference: GraphInference;
}

export class CompileError extends Error {
  constructor(
    message: string,
    readonly problems: { node?: string; message: string }[],
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

const RECURRENT = new Set(['lstm', 'gru', 'elman']);

function hintsFor(kind: string, params: Record<string, unknown>): InitHints {
  const inner = (
    ['bidirectional', 'stack', 'encoder', 'decoder'].includes(kind) ? params.layer : { kind, params }
  ) as { kind: string; params: Record<string, unknown> } | undefined;
  if (!inner || !RECURRENT.has(inner.kind)) return {};
  return {
    cell: inner.kind as CellKind,
    units: inner.params.units as number,
    unitForgetBias: inner.params.unitForgetBias as boolean | undefined,
    chronoMaxDelay: inner.params.chronoMaxDelay as number | undefined,
    identityInit: inner.params.identityInit as boolean | undefined,
  };
}

export function compileGraph(graph: Graph, options: CompileOptions): CompiledModel {
  const analysis = analyzeGraph(graph, { task: options.task, data: options.data });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.map((d) => (d.node ? `block "${d.node}": ${d.message}` : d.message));
    throw new CompileError(`The model cannot be built:\n${lines.join('\n')}`, errors);
  }
  const inference = analysis.inference;
  const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  const unsupported = graph.nodes.filter((n) => !own(BUILDERS, n.kind));
  if (unsupported.length > 0) {
    const problems = unsupported.map((n) => ({
      node: n.id,
      message: `The engine cannot train "${n.kind}" blocks yet (block "${n.id}").`,
    }));
    throw new CompileError(problems.map((p) => p.message).join('\n'), problems);
  }

  const random = seeded(options.seed ?? 1);
  const weights: NamedWeight[] = [];
  const byName = new Map<string, tf.Variable>();
  for (const id of inference.order) {
    const info = inference.nodes[id]!;
    const hints = hintsFor(info.kind, info.params ?? {});
    for (const spec of info.weights) {
      const name = `${id}/${spec.name}`;
      // The variable shares the first value's data; that tensor itself is released at once, or every
      // compiled model (each run, each worker, each playground model) would leave one per weight behind.
      const first = tf.tensor(initialValue(spec.name, spec.shape, random, hints), spec.shape);
      const variable = tf.variable(first, true, options.anonymousVariables ? undefined : name);
      first.dispose();
      const leaf = spec.name.slice(spec.name.lastIndexOf('/') + 1);
      const gates =
        hints.cell && ['kernel', 'recurrent_kernel', 'bias'].includes(leaf)
          ? cellGates(hints.cell)
          : undefined;
      weights.push({ name, node: id, variable, ...(gates ? { gates } : {}) });
      byName.set(name, variable);
    }
  }
  const heads = inference.order.filter((id) => kinds.get(id) === 'head');
  const dropoutRandom = seeded((options.seed ?? 1) + 7919);

  const teacherForcing = options.task === 'seq2seq' ? samplingRate(inference) : null;

  function forward(batch: Batch, fo: ForwardOptions): ForwardResult {
    if (teacherForcing === null || !fo.training) return run(batch, fo);
    // Scheduled sampling: predict without gradient or dropout, mix the predictions into the target input.
    const predicted = tf.tidy(() => argmaxTokens(run(batch, { training: false }).outputs[heads[0]!]!));
    return run(mixTargetInputs(batch, predicted, teacherForcing, fo.random ?? dropoutRandom), fo);
  }

  /** The blocks in wire order: every port's flow, the emitted outputs and recurrent final states. */
  function runBlocks(batch: Batch, fo: ForwardOptions) {
    const flows = new Map<string, Flow>();
    const outputs: Record<string, tf.Tensor> = {};
    const finalState: Record<string, tf.Tensor[]> = {};
    const activations: Record<string, LayerActivation> = {};
    for (const id of inference.order) {
      const info = inference.nodes[id]!;
      const inputs: Record<string, Flow[]> = {};
      for (const e of graph.edges) {
        if (e.to.node !== id) continue;
        const flow = flows.get(`${e.from.node}:${e.from.port}`);
        if (flow) (inputs[e.to.port] ??= []).push(flow);
      }
      const ctx: BlockContext = {
        node: id,
        kind: info.kind,
        params: info.params ?? {},
        inputs,
        batch,
        options: fo,
        weight: (name) => {
          const v = byName.get(`${id}/${name}`);
          if (!v) throw new Error(`Block "${id}" has no weight "${name}" (engine and catalog disagree).`);
          return v;
        },
        emit: (key, tensor) => {
          if (fo.probe || key === 'attention') outputs[`${id}/${key}`] = tensor;
        },
        setFinalStateOf: (key, states) => {
          finalState[key] = states;
        },
        // The training loop passes its own checkpointed source so a resumed run draws the same masks.
        random: fo.random ?? dropoutRandom,
      };
      const out = own(BUILDERS, info.kind)!(ctx);
      for (const [port, flow] of Object.entries(out)) flows.set(`${id}:${port}`, flow);
      // An input block's output is the data itself (token ids), not something the model learned.
      const shown = out.out ?? Object.values(out)[0];
      if (fo.activations && info.kind !== 'input' && shown && shown.tensor.dtype === 'float32')
        activations[id] = { tensor: shown.tensor, mask: shown.mask };
    }
    return { flows, outputs, finalState, activations };
  }

  const activationOf = (id: string) =>
    (inference.nodes[id]!.params?.activation ?? 'softmax') as HeadActivation;

  function predict(batch: Batch, po: { probe?: boolean } = {}): { outputs: Record<string, tf.Tensor> } {
    const { flows, outputs } = runBlocks(batch, { training: false, ...(po.probe ? { probe: true } : {}) });
    for (const id of heads) {
      const logits = flows.get(`${id}:out`)?.tensor;
      if (logits) outputs[id] = headOutput(activationOf(id), logits);
    }
    return { outputs };
  }

  function setWeights(values: Record<string, { data: ArrayLike<number>; shape: number[] }>): void {
    for (const w of weights) {
      const value = values[w.name];
      if (!value) throw new Error(`The weights have no "${w.name}": train the model again.`);
      const want = w.variable.shape.join(',');
      if (value.shape.join(',') !== want) {
        throw new Error(
          `The weight "${w.name}" is [${value.shape}] but the model needs [${want}]: train again.`,
        );
      }
      tf.tidy(() => w.variable.assign(tf.tensor(Float32Array.from(value.data), value.shape, 'float32')));
    }
  }

  function run(batch: Batch, fo: ForwardOptions): ForwardResult {
    const { flows, outputs, finalState, activations } = runBlocks(batch, fo);
    if (heads.length === 0) throw new Error('The model has no output head: add an Output head block.');
    let loss: tf.Scalar | null = null;
    let count = 0;
    let metrics: Record<string, tf.Scalar> = {};
    for (const id of heads) {
      const logits = flows.get(`${id}:out`)?.tensor;
      if (!logits) continue;
      const r = headLoss(options.task, activationOf(id), logits, batch);
      outputs[id] = r.output;
      // The first head names the metrics plainly; further heads prefix theirs with their id.
      if (loss === null) {
        loss = r.loss;
        count = r.count;
        metrics = { ...r.metrics };
      } else {
        loss = tf.add(loss, r.loss) as tf.Scalar;
        for (const [k, v] of Object.entries(r.metrics)) metrics[`${id}/${k}`] = v;
      }
    }
    return { loss: loss!, outputs, metrics, count, finalState, ...(fo.activations ? { activations } : {}) };
  }

  return {
    task: options.task,
    heads,
    inference,
    weights,
    forward,
    predict,
    setWeights,
    dispose() {
      for (const w of weights) w.variable.dispose();
    },
  };
}

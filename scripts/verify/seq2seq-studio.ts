// Shared by the seq2seq verify scripts and the dates alignment test (run alone it does nothing): a
// seq2seq template trained through the studio's path (engine-shared.ts: its generator's split, the graph
// compiled by core/engine, core/training's loop), then translated the way the playground and
// `rnn-studio predict` translate (main/inference/predictor: greedy decoding on the trained weights,
// attention rows of the output), with the weights a user's project keeps (the best epoch's checkpoint,
// else the latest).
import { BOS, EOS, loadTokenizer } from '../../core/data/tokenizers/index.js';
import { fitGraphToData } from '../../core/graph/fit.js';
import { dataFactsOf, type ProjectDoc } from '../../core/project/index.js';
import { RunControl } from '../../core/training/control.js';
import { train } from '../../core/training/loop.js';
import type { ExampleSource } from '../../core/training/source.js';
import type { RunEndEvent } from '../../core/telemetry/events.js';
import type { StudioModel } from '../../core/engine/types.js';
import type { WeightValues } from '../../main/export/weights.js';
import { createPredictor, type Predictor } from '../../main/inference/predictor.js';
import type { TranslationResult } from '../../main/inference/results.js';
import { buildProjectData } from '../../main/training/projectData.js';
import { buildRun, startWorkers, type StudioRun } from './engine-shared.js';

export interface Seq2SeqRun extends StudioRun {
  /** The project as a trained one is: vocabulary filled in, graph sized to it (what the predictor reads). */
  trained: ProjectDoc;
  /** Source and target text of every test example whose source never occurs in the training split. */
  heldOut: { source: string; target: string }[];
}

/** The run of `doc` plus what translating needs: the doc with its vocabulary, and the held-out pairs. */
export async function buildSeq2SeqRun(doc: ProjectDoc): Promise<Seq2SeqRun> {
  const run = await buildRun(doc);
  const { spec } = await buildProjectData(doc, {}, null);
  const withData: ProjectDoc = { ...doc, dataset: spec };
  const trained: ProjectDoc = { ...withData, graph: fitGraphToData(doc.graph, dataFactsOf(withData)).graph };
  const tokenizer = loadTokenizer(spec.tokenizer, spec.vocabulary ?? []);
  const text = (source: ExampleSource, which: 'source' | 'targetOut') => {
    const b = source.batch(Array.from({ length: source.size }, (_, i) => i));
    const t = b[which]!;
    const w = t.shape[1]!;
    return Array.from({ length: source.size }, (_, r) =>
      tokenizer.decode(
        Array.from(t.data.subarray(r * w, (r + 1) * w)).filter((id) => id !== 0 && id !== BOS && id !== EOS),
      ),
    );
  };
  const seen = new Set(text(run.data.train, 'source'));
  const sources = text(run.test, 'source');
  const targets = text(run.test, 'targetOut');
  const heldOut = sources
    .map((source, i) => ({ source, target: targets[i]! }))
    .filter((p) => !seen.has(p.source));
  return { ...run, trained, heldOut };
}

/** The current values of a compiled model's weights, by name, as a checkpoint stores them. */
export function weightValues(model: StudioModel): WeightValues {
  return Object.fromEntries(
    model.weights.map((w) => [
      w.name,
      { shape: [...w.variable.shape], data: w.variable.dataSync() as Float32Array },
    ]),
  );
}

/**
 * Trains with core/training's loop and returns the weights a user's project keeps afterwards: the best
 * epoch's checkpoint when save-best wrote one, else the last weights (main/inference/trainedWeights).
 */
export async function trainKeepingBest(
  run: StudioRun,
  backend: string,
  afterEpoch: (event: {
    epoch: number;
    step: number;
    trainLoss: number | null;
    validationLoss: number | null;
  }) => boolean,
): Promise<{ end: RunEndEvent; weights: WeightValues; bestEpoch: number | null }> {
  const control = new RunControl();
  let best: { weights: WeightValues; epoch: number } | null = null;
  const workers = await startWorkers(run, backend);
  const end = await train({
    runId: `verify-${run.doc.name}`,
    model: run.model,
    data: run.data,
    config: run.doc.training,
    backend,
    control,
    ...(workers.helpers ? { helpers: workers.helpers } : {}),
    hooks: {
      emit: (e) => {
        if (e.type === 'error') console.log(`  error: ${e.message}`);
        if (e.type !== 'epoch') return;
        if (
          afterEpoch({
            epoch: e.epoch,
            step: e.step,
            trainLoss: e.train.loss,
            validationLoss: e.validation?.loss ?? null,
          })
        )
          control.stop();
      },
      saveCheckpoint: (state, reason) => {
        if (reason === 'best')
          best = {
            epoch: state.epoch,
            weights: Object.fromEntries(state.weights.map((t) => [t.name, { shape: t.shape, data: t.data }])),
          };
        return 'memory';
      },
    },
  }).finally(workers.close);
  const kept = best as { weights: WeightValues; epoch: number } | null;
  return { end, weights: kept?.weights ?? weightValues(run.model), bestEpoch: kept?.epoch ?? null };
}

/** The playground's translator for a trained project. */
export function translator(run: Seq2SeqRun, weights: WeightValues): Predictor {
  return createPredictor(run.trained, weights);
}

/** Greedy translation of `source` with its attention rows, as the playground shows them. */
export async function translate(
  predictor: Predictor,
  source: string,
): Promise<{ output: string; attention: number[][] | undefined }> {
  const r = (await predictor.predict(source)) as TranslationResult;
  return { output: r.output, attention: r.attention };
}

/** Share of held-out pairs translated exactly (greedy, whole output). */
export async function exactMatch(
  predictor: Predictor,
  pairs: readonly { source: string; target: string }[],
): Promise<{ exact: number; total: number; wrong: string[] }> {
  const wrong: string[] = [];
  let exact = 0;
  for (const p of pairs) {
    const out = (await translate(predictor, p.source)).output;
    if (out === p.target) exact++;
    else if (wrong.length < 5) wrong.push(`"${p.source}" -> "${out}" (want ${p.target})`);
  }
  return { exact, total: pairs.length, wrong };
}

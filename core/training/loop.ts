// The training loop. Model-agnostic: it knows a StudioModel (loss, metrics, named weights) and examples
// it can batch, nothing of LSTMs. It emits telemetry events, checks pause/stop between batches, saves
// checkpoints through a hook (main/ decides where), and guards against NaN/Inf: the run stops within the
// batch, the weights roll back to the last good checkpoint, and the first layer affected is reported.
import type { StudioModel } from '../engine/types.js';
import * as tf from '@tensorflow/tfjs-core';
import {
  type HistogramEvent,
  makeEvent,
  type RunEndEvent,
  type SplitSummary,
  type TelemetryEvent,
  type TelemetryEventDraft,
} from '../telemetry/events.js';
import type { CheckpointState } from './checkpoint.js';
import type { TrainingConfig } from './config.js';
import type { RunControl } from './control.js';
import { DivergenceWatch, divergenceMessage } from './divergence.js';
import { accumulate, emptyAccumulator, evaluateSplit, summarise } from './evaluate.js';
import { Optimizer } from './optimizers.js';
import { planEpoch } from './plan.js';
import { runProbe } from './probe.js';
import {
  activationHistograms,
  histogramDue,
  type PendingActivation,
  probeActivations,
  weightHistograms,
} from './histograms.js';
import { initialTracker, track, watchedValue } from './progress.js';
import { SeededRandom } from './random.js';
import { initialPlateau, learningRateAt, updatePlateau } from './schedules.js';
import { nonFiniteInBatch, realPositions, type TrainingData } from './source.js';
import { type ShardHelpers, trainBatchParallel } from './dataParallel.js';
import { trainBatch } from './step.js';
import { parameterCount, restoreWeights, saveWeights } from './weights.js';
import { deepCopy, monotonicMs } from '../platform/globals.js';

export interface TrainingHooks {
  emit(event: TelemetryEvent): void;
  /** Persist a checkpoint; returns where it lives (shown in the status line). */
  saveCheckpoint(state: CheckpointState, reason: 'epoch' | 'stop' | 'best'): Promise<string> | string;
  /** Called after every batch so the host can deliver pause/stop messages. */
  yieldToHost?(): Promise<void>;
}

export interface TrainingRun {
  runId: string;
  model: StudioModel;
  data: TrainingData;
  config: TrainingConfig;
  backend: string;
  backendNote?: string;
  hooks: TrainingHooks;
  control: RunControl;
  /** Continue from this checkpoint (weights, optimizer, random state, position). */
  resumeFrom?: CheckpointState;
  /** Data-parallel helper engines (worker threads); absent or none = this engine trains alone. */
  helpers?: ShardHelpers;
  /** Said as `warning` events right after `run-start`, e.g. a chosen backend that could not start. */
  warnings?: { code: string; message: string }[];
}

type LoopState = Omit<
  CheckpointState,
  'format' | 'runId' | 'config' | 'weights' | 'optimizer' | 'dropoutRandom'
>;

export async function train(run: TrainingRun): Promise<RunEndEvent> {
  const { model, data, config, hooks, control } = run;
  const started = Date.now();
  const emit = (draft: TelemetryEventDraft) => hooks.emit(makeEvent(draft) as TelemetryEvent);
  const languageModel = data.task === 'language-model';
  const random = new SeededRandom(config.seed);
  // Dropout draws from its own source so batch order and masks stay independent; both are checkpointed.
  const dropout = new SeededRandom((config.seed ^ 0x9e3779b9) >>> 0);
  const optimizer = new Optimizer(config.optimizer);
  let s: LoopState = {
    epoch: 0,
    batchInEpoch: 0,
    step: 0,
    randomAtEpochStart: random.getState(),
    plateau: initialPlateau(),
    tracker: initialTracker(),
    partial: emptyAccumulator(),
  };
  if (run.resumeFrom) {
    const from = run.resumeFrom;
    restoreWeights(model.weights, from.weights);
    if (from.dropoutRandom !== undefined) dropout.setState(from.dropoutRandom);
    optimizer.setState(from.optimizer, model.weights);
    s = {
      epoch: from.epoch,
      batchInEpoch: from.batchInEpoch,
      step: from.step,
      randomAtEpochStart: from.randomAtEpochStart,
      plateau: from.plateau,
      tracker: from.tracker,
      partial: deepCopy(from.partial),
      ...(from.lastEpoch ? { lastEpoch: from.lastEpoch } : {}),
    };
  }
  const snapshot = async (): Promise<CheckpointState> => ({
    format: 1,
    runId: run.runId,
    config,
    ...deepCopy(s),
    dropoutRandom: dropout.getState(),
    weights: await saveWeights(model.weights),
    optimizer: await optimizer.getState(),
  });
  let lastGood = await snapshot();
  const batchesPerEpoch = Math.ceil(data.train.size / config.batchSize);
  const totalSteps = batchesPerEpoch * config.epochs;
  emit({
    type: 'run-start',
    runId: run.runId,
    backend: run.backend,
    ...(run.backendNote ? { backendNote: run.backendNote } : {}),
    ...(data.task ? { task: data.task } : {}),
    config,
    model: {
      parameters: parameterCount(model.weights),
      weights: model.weights.map((w) => ({
        name: w.name,
        node: w.node,
        shape: [...w.variable.shape],
        ...(w.gates ? { gates: w.gates } : {}),
      })),
      layers: [...new Set(model.weights.map((w) => w.node))],
    },
    batchesPerEpoch,
    examples: { train: data.train.size, validation: data.validation?.size ?? 0 },
    workers: 1 + (run.helpers?.count ?? 0),
    ...(run.resumeFrom ? { resumedFrom: { epoch: s.epoch, step: s.step } } : {}),
  });
  for (const warning of run.warnings ?? []) emit({ type: 'warning', ...warning });
  if (!data.validation || data.validation.size === 0) {
    emit({
      type: 'warning',
      code: 'no-validation-data',
      message:
        'There is no validation data: early stopping, save-best and the probe use the training data instead.',
    });
  }
  let status: RunEndEvent['status'] = 'completed';
  let clippedBatches = 0;
  const divergence = new DivergenceWatch();
  /** Set when the run stopped on divergence: the weights are the last checkpoint's, nothing more to save. */
  let rolledBack = false;
  let learningRate = config.optimizer.learningRate;
  const save = async (state: CheckpointState, reason: 'epoch' | 'stop' | 'best') => {
    const location = await hooks.saveCheckpoint(state, reason);
    emit({ type: 'checkpoint', epoch: state.epoch, step: state.step, reason, location });
  };

  try {
    epochs: while (s.epoch < config.epochs) {
      const epochStarted = Date.now();
      random.setState(s.randomAtEpochStart);
      const plan = planEpoch(
        data.train.size,
        {
          batchSize: config.batchSize,
          shuffle: true,
          bucketing: config.bucketing,
          ...(data.train.lengths ? { lengths: data.train.lengths } : {}),
        },
        random,
      );
      const randomAfterPlan = random.getState();
      for (let b = s.batchInEpoch; b < plan.length; b++) {
        if (control.isPaused && !control.stopRequested) {
          // Said on the event stream, after the last finished batch's event: a view turns "Paused" here.
          emit({ type: 'paused', epoch: s.epoch + 1, step: s.step });
          await control.waitWhilePaused();
          if (!control.stopRequested) emit({ type: 'resumed', epoch: s.epoch + 1, step: s.step });
        }
        if (control.stopRequested) {
          status = 'stopped';
          break epochs;
        }
        const batch = data.train.batch(plan[b] as number[]);
        learningRate = learningRateAt(
          config.schedule,
          config.optimizer.learningRate,
          { step: s.step, epoch: s.epoch, totalSteps },
          s.plateau,
        );
        const batchStarted = monotonicMs();
        const bptt = config.truncatedBptt.steps;
        const draw = () => dropout.next();
        const { clipping } = config;
        const result =
          run.helpers && run.helpers.count > 0
            ? await trainBatchParallel(
                model,
                batch,
                run.helpers,
                optimizer,
                learningRate,
                clipping,
                bptt,
                draw,
              )
            : await trainBatch(model, batch, optimizer, learningRate, clipping, bptt, draw);
        const tokens = realPositions(batch);
        if (result.nonFinite) {
          const inData = nonFiniteInBatch(batch);
          const weight = result.nonFinite.weight;
          restoreWeights(model.weights, lastGood.weights);
          optimizer.setState(lastGood.optimizer, model.weights);
          const where = inData ? 'in the data' : `in the ${result.nonFinite.where}`;
          emit({
            type: 'error',
            code: 'non-finite',
            epoch: s.epoch + 1,
            step: s.step + 1,
            message:
              `Training stopped: a NaN or Infinity appeared ${where} at epoch ${s.epoch + 1}, batch ` +
              `${b + 1}` +
              (weight ? `, first in layer "${weight.node}" (${weight.name})` : '') +
              (inData ? ` (${inData})` : '') +
              `. The weights were rolled back to epoch ${lastGood.epoch}. Try a lower learning rate or ` +
              `gradient clipping, or fix the data.`,
            where: inData ? 'data' : result.nonFinite.where,
            ...(weight ? { layer: weight.node, weight: weight.name } : {}),
            rolledBackTo: { epoch: lastGood.epoch, step: lastGood.step },
          });
          status = 'failed';
          break epochs;
        }
        const seconds = Math.max((monotonicMs() - batchStarted) / 1000, 1e-9);
        accumulate(s.partial, result.loss, result.count, result.metrics, tokens);
        if (result.clipped) clippedBatches += 1;
        s.step += 1;
        s.batchInEpoch = b + 1;
        emit({
          type: 'batch',
          epoch: s.epoch + 1,
          batch: b + 1,
          batchesPerEpoch: plan.length,
          step: s.step,
          loss: result.loss,
          metrics: result.metrics,
          learningRate,
          tokensPerSecond: tokens / seconds,
          gradNorm: result.report.global,
          gradNormPerLayer: result.report.perLayer,
          gradNormPerGate: result.report.perGate,
          clipped: result.clipped,
        });
        const exploding = divergence.observe(s.step, { loss: result.loss, gradNorm: result.report.global });
        for (const d of exploding) {
          const stop = config.stopOnDivergence;
          emit({
            type: 'warning',
            code: d.quantity === 'loss' ? 'loss-exploding' : 'gradient-exploding',
            epoch: s.epoch + 1,
            step: d.step,
            value: d.value,
            growth: d.growth,
            message:
              divergenceMessage(d) +
              (stop
                ? ` Training stopped (stop on divergence is on); the weights were rolled back to epoch ` +
                  `${lastGood.epoch}.`
                : ''),
          });
        }
        if (exploding.length > 0 && config.stopOnDivergence) {
          restoreWeights(model.weights, lastGood.weights);
          optimizer.setState(lastGood.optimizer, model.weights);
          rolledBack = true;
          status = 'stopped';
          break epochs;
        }
        await hooks.yieldToHost?.();
      }
      const train = summarise(s.partial, languageModel);
      if (config.clipping.kind !== 'none' && clippedBatches > plan.length / 2) {
        emit({
          type: 'warning',
          code: 'clipping-often',
          message:
            `Gradients were clipped in ${clippedBatches} of ${plan.length} batches of epoch ` +
            `${s.epoch + 1}: the learning rate may be too high, or the clipping value too low.`,
        });
      }
      clippedBatches = 0;
      const validation =
        data.validation && data.validation.size > 0
          ? await evaluateSplit(model, data.validation, config.batchSize, languageModel)
          : undefined;
      s.plateau = updatePlateau(config.schedule, s.plateau, validation?.loss ?? train.loss);
      const watched = watchedValue(config.earlyStopping.metric, train, validation);
      const tracked = track(s.tracker, s.epoch + 1, watched, config.earlyStopping.minDelta);
      s = {
        ...s,
        tracker: tracked.tracker,
        epoch: s.epoch + 1,
        batchInEpoch: 0,
        partial: emptyAccumulator(),
        randomAtEpochStart: randomAfterPlan,
        lastEpoch: { train, ...(validation ? { validation } : {}) },
      };
      emit({
        type: 'epoch',
        epoch: s.epoch,
        epochs: config.epochs,
        step: s.step,
        train,
        ...(validation ? { validation } : {}),
        learningRate,
        seconds: (Date.now() - epochStarted) / 1000,
        best: tracked.improved,
      });
      // The epoch that early stopping ends on is histogrammed too, so the last picture is the final model.
      const stopsEarly =
        config.earlyStopping.patience > 0 && s.tracker.badEpochs >= config.earlyStopping.patience;
      const histograms = histogramDue(s.epoch, config.epochs) || stopsEarly;
      const activations = await maybeProbe(run, s.epoch, s.step, emit, histograms);
      const state = await snapshot();
      if (activations) {
        emit({
          type: 'histogram',
          epoch: s.epoch,
          step: s.step,
          weights: weightHistograms(model.weights, state.weights),
          ...activations,
        });
      }
      if (tracked.improved && config.saveBest) await save(state, 'best');
      if (s.epoch % config.checkpointEveryEpochs === 0 || s.epoch === config.epochs)
        await save(state, 'epoch');
      lastGood = state;
      if (stopsEarly) {
        status = 'early-stopped';
        break;
      }
    }
    if (status === 'stopped' && !rolledBack) await save(await snapshot(), 'stop');
  } finally {
    optimizer.dispose();
  }
  const end = makeEvent({
    type: 'run-end',
    status,
    epochs: s.epoch,
    steps: s.step,
    seconds: (Date.now() - started) / 1000,
    final: finalSummaries(s.lastEpoch),
    ...(s.tracker.bestValue !== null
      ? {
          best: {
            epoch: s.tracker.bestEpoch,
            metric: config.earlyStopping.metric,
            value: s.tracker.bestValue,
          },
        }
      : {}),
  });
  hooks.emit(end);
  return end;
}

function finalSummaries(last: LoopState['lastEpoch']): { train?: SplitSummary; validation?: SplitSummary } {
  return last ? { train: last.train, ...(last.validation ? { validation: last.validation } : {}) } : {};
}

type ProbedActivations = Pick<HistogramEvent, 'activations' | 'example'>;

/**
 * The probe, when due, and the probe example's layer outputs when `histograms` is set (from the probe's
 * own forward pass when it ran, so that example runs once). Undefined when no histogram is due.
 */
async function maybeProbe(
  run: TrainingRun,
  epoch: number,
  step: number,
  emit: (draft: TelemetryEventDraft) => void,
  histograms: boolean,
): Promise<ProbedActivations | undefined> {
  const every = run.config.probe.everyEpochs;
  const probeDue = every > 0 && epoch % every === 0;
  const split = run.data.validation && run.data.validation.size > 0 ? 'validation' : 'train';
  const source = split === 'validation' ? run.data.validation! : run.data.train;
  const index = Math.min(run.config.probe.example, source.size - 1);
  if (index < 0) return histograms ? { activations: [] } : undefined;
  const example = { index, split } as const;
  if (probeDue) {
    const pending: PendingActivation[] = [];
    try {
      const body = await runProbe(run.model, source, index, split, histograms ? pending : undefined);
      emit({ type: 'probe', epoch, step, ...body });
    } catch (error) {
      tf.dispose(pending.map((p) => p.tensor));
      throw error;
    }
    return histograms ? { activations: await activationHistograms(pending), example } : undefined;
  }
  return histograms ? { activations: await probeActivations(run.model, source, index), example } : undefined;
}

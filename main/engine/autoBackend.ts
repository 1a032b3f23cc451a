// `auto` for a training run: the ladder says which rungs can start, timing says which one trains this
// model fastest. A small model can train faster on the CPU than on a GPU (every dispatch has a fixed
// cost), and a GPU that is present is not always faster, so `auto` runs two training steps of the run's
// own model on every rung that starts and keeps the fastest. It times the second step: the first pays
// one-time costs (shader compilation, memory set-up) that a run pays once.
//
// Which rungs: webgpu on a hardware adapter only (a software one such as SwiftShader is an emulator),
// tensorflow-gpu and tensorflow where they load, and wasm. cpu is timed only when wasm cannot start: it
// wins only on toy models, where both take a few milliseconds a step, and loses badly at real sizes,
// where timing it would cost two slow steps before every run (two steps of the adding template, LSTM,
// 2-core machine: H8 T5 B4 cpu 10 ms, wasm 14 ms; H32 T20 B16 cpu 24, wasm 11; H64 T50 B32 cpu 236, wasm
// 16; H128 T50 B32 cpu 842, wasm 40). Where only one rung starts, nothing is timed.
import * as tf from '@tensorflow/tfjs-core';
import type { StudioModel } from '../../core/engine/types.js';
import type { TrainingConfig } from '../../core/training/config.js';
import { Optimizer } from '../../core/training/optimizers.js';
import { SeededRandom } from '../../core/training/random.js';
import type { TrainingData } from '../../core/training/source.js';
import { trainBatch } from '../../core/training/step.js';
import { BACKENDS, type BackendName, type BackendReport, passedOver, reason, startRung } from './backend.js';

export interface Rung {
  name: BackendName;
  /** Makes the rung tfjs's backend (again), or throws why it cannot. */
  start(): Promise<BackendReport>;
  /** Started only when no other rung could start. */
  fallbackOnly?: boolean;
}

/**
 * The rungs `auto` compares, top of the ladder first (tensorflow-gpu, as on the ladder, only when it is
 * installed or asked for); cpu as the fallback only.
 */
export async function ladderRungs(): Promise<Rung[]> {
  const rungs: Rung[] = [];
  for (const name of BACKENDS) {
    if (await passedOver(name)) continue;
    rungs.push({ name, start: () => startRung(name), ...(name === 'cpu' ? { fallbackOnly: true } : {}) });
  }
  return rungs;
}

/** Milliseconds per training step on the backend in use (the rung just started). */
export type Trial = (rung: BackendReport) => Promise<number>;

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms/step`;

/** A reason short enough for the backend line (the note keeps it whole). */
const brief = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text);

/**
 * Starts every rung, times each one that starts with `trial`, and leaves the fastest as tfjs's backend.
 * Its label says what was measured, e.g. `wasm (auto: wasm 41 ms/step; webgpu 880 ms/step)`; a rung whose
 * trial failed is skipped and named with the reason. One rung only: its plain label, nothing timed.
 */
export async function chooseFastestRung(rungs: Rung[], trial: Trial): Promise<BackendReport> {
  const started: { rung: Rung; report: BackendReport }[] = [];
  const fallbacks: string[] = [];
  const tryStart = async (rung: Rung) => {
    try {
      started.push({ rung, report: await rung.start() });
    } catch (error) {
      fallbacks.push(`backend ${rung.name} unavailable (${reason(error)})`);
    }
  };
  for (const rung of rungs.filter((r) => !r.fallbackOnly)) await tryStart(rung);
  if (started.length === 0) for (const rung of rungs.filter((r) => r.fallbackOnly)) await tryStart(rung);
  if (started.length === 0) throw new Error(`no tfjs backend could start: ${fallbacks.join('; ')}`);
  if (started.length === 1) {
    const only = await started[0]!.rung.start();
    const note = `auto: ${only.name} is the only rung that starts here, nothing to time it against`;
    return { ...only, fallbacks: [...fallbacks, note] };
  }

  const timed: { rung: Rung; msPerStep: number }[] = [];
  const failed: { name: BackendName; why: string }[] = [];
  for (const { rung } of started) {
    try {
      timed.push({ rung, msPerStep: await trial(await rung.start()) });
    } catch (error) {
      failed.push({ name: rung.name, why: reason(error) });
    }
  }
  timed.sort((a, b) => a.msPerStep - b.msPerStep);
  // Nothing trained: keep the top rung that starts and let the run itself report the error.
  const best = timed[0]?.rung ?? started[0]!.rung;
  const chosen = await best.start();
  const measured = timed.map((t) => `${t.rung.name} ${ms(t.msPerStep)}`);
  const line = [...measured, ...failed.map((f) => `${f.name} failed: ${brief(f.why)}`)].join('; ');
  const label = chosen.adapter
    ? `${chosen.name} (${chosen.adapter}; auto: ${line})`
    : `${chosen.name} (auto: ${line})`;
  const note =
    `auto timed two training steps of this model on each rung and kept the fastest (the second step: ` +
    `the first pays one-time costs): ${measured.join(', ') || 'none finished'}` +
    failed.map((f) => `; ${f.name} failed while timed (${f.why}), skipped`).join('');
  return { ...chosen, label, fallbacks: [...fallbacks, note] };
}

/**
 * The trial of a training run: two steps of the model on the first batch of its training data, from the
 * initial weights each time, with a fresh optimizer. `restore` puts the initial weights back (on the
 * backend then in use), so the run starts where it would have without the timing. Every tensor the trial
 * makes is freed, a failed step's included.
 */
export async function trainingTrial(
  model: StudioModel,
  data: TrainingData,
  config: TrainingConfig,
  now: () => number = () => performance.now(),
): Promise<{ trial: Trial; restore: () => void }> {
  const initial = await Promise.all(model.weights.map((w) => w.variable.data()));
  const examples = Array.from({ length: Math.min(config.batchSize, data.train.size) }, (_, i) => i);
  const batch = data.train.batch(examples);
  const restore = () =>
    model.weights.forEach((w, i) =>
      tf.tidy(() => w.variable.assign(tf.tensor(initial[i]!, w.variable.shape, w.variable.dtype))),
    );
  const trial: Trial = async () => {
    restore();
    const optimizer = new Optimizer(config.optimizer);
    const random = new SeededRandom(1);
    tf.engine().startScope();
    try {
      let last = 0;
      for (let step = 0; step < 2; step++) {
        const started = now();
        const { learningRate } = config.optimizer;
        const bptt = config.truncatedBptt.steps;
        await trainBatch(model, batch, optimizer, learningRate, config.clipping, bptt, () => random.next());
        last = now() - started;
      }
      return last;
    } finally {
      tf.engine().endScope();
      optimizer.dispose();
    }
  };
  return { trial, restore };
}

// The run the dashboards show: the live run of the open project (started here, or already running when
// the page opened) or a past run picked in Runs. Telemetry is folded into a RunRecorder outside Vue's
// reactivity (100,000 batches must not become 100,000 reactive objects); `version` is bumped at most
// 8 times a second and every chart redraws from the recorder when it changes.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import type { CallRequest } from '../../../core/api/contract.js';
import type { TelemetryEvent } from '../../../core/telemetry/events.js';
import { host } from '../host/index.js';
import { createFrameThrottle } from '../charts/frameThrottle.js';
import { ingestHistory } from '../watch/historyPages.js';
import { RunRecorder, type RunStatus } from '../watch/runRecorder.js';
import { watchText as T } from '../i18n/watch.js';
import { useProjectStore } from './projectStore.js';

export type TrainOptions = CallRequest<'training.start'>['options'];

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const useTrainingStore = defineStore('training', () => {
  /** The run being drawn. Replaced (not mutated) when another run is shown, so watchers see the switch. */
  const recorder = shallowRef<RunRecorder>(markRaw(new RunRecorder()));
  /** The live run of this session, kept while a past run is being looked at. */
  let live: RunRecorder = recorder.value;
  const version = ref(0);
  const status = ref<RunStatus>('idle');
  /** The live run's backend line (`webgpu (…)`, `wasm (auto: …)`), '' before its run-start. */
  const liveBackend = ref('');
  const runId = ref<string | null>(null);
  const projectId = ref<string | null>(null);
  const showingPast = ref(false);
  const error = ref<string | null>(null);
  const busy = ref(false);
  let unsubscribe: (() => void) | null = null;
  /** While a run's history loads, live events wait here so nothing is drawn twice or out of order. */
  let catchingUp = false;
  let pending: TelemetryEvent[] = [];

  const publish = createFrameThrottle(() => {
    version.value = recorder.value.version;
    status.value = live.status;
    liveBackend.value = live.backend;
  }, 8);

  const underway = ['starting', 'running', 'pausing', 'paused'];
  const canStart = computed(() => !busy.value && !underway.includes(status.value));
  const canPause = computed(() => !busy.value && status.value === 'running');
  const canResume = computed(() => !busy.value && status.value === 'paused');
  const canStop = computed(() => !busy.value && ['running', 'pausing', 'paused'].includes(status.value));
  /** A run of the open project is starting, training or paused: it would be lost with the project. */
  const training = computed(() => underway.includes(status.value));

  /**
   * Listen to the host's telemetry; events of the open project are adopted even if started elsewhere (CLI).
   */
  function listen(): void {
    if (unsubscribe) return;
    unsubscribe = host.on('training.event', (payload) => {
      if (projectId.value && payload.projectId !== projectId.value) return;
      if (payload.runId !== runId.value) {
        if (runId.value === null) {
          // Our Train call has not answered yet: our run announces itself with run-start; anything else is
          // the tail of an earlier run (e.g. one just stopped) and is not ours.
          if (status.value === 'starting' && payload.event.type !== 'run-start') return;
          runId.value = payload.runId;
          // The page opened (or reloaded) while this run was going: draw its history so far first.
          if (payload.event.type !== 'run-start') void catchUp(payload.runId);
        } else if (payload.event.type === 'run-start') {
          // A new run of this project (e.g. started from the CLI) becomes the live run.
          resetLive();
          runId.value = payload.runId;
        } else {
          return; // a straggler of an older run
        }
      }
      if (catchingUp) {
        pending.push(payload.event);
        return;
      }
      live.ingest(payload.event);
      if (live.runId === '') live.runId = payload.runId;
      // The run records its history and checkpoints into the open project at the host: unsaved work, which
      // leaving the project must ask about like any edit (components/leaveUnsaved.ts).
      if (!projects.dirty) projects.dirty = true;
      publish.request();
    });
  }

  async function catchUp(id: string): Promise<void> {
    catchingUp = true;
    const target = live;
    try {
      const project = projectId.value;
      if (project)
        await ingestHistory(target, (from, limit) =>
          host.call('runs.history', { projectId: project, runId: id, from, limit }),
        );
    } catch {
      // No history (yet): the live events alone are drawn.
    }
    const until = target.step;
    for (const event of pending) {
      const step = 'step' in event ? event.step : undefined;
      if (step !== undefined && step <= until && event.type !== 'run-end') continue;
      target.ingest(event);
    }
    pending = [];
    catchingUp = false;
    publish.request();
  }

  function resetLive(): void {
    live = markRaw(new RunRecorder());
    if (!showingPast.value) recorder.value = live;
  }

  function setProject(id: string | null): void {
    if (id === projectId.value) return;
    projectId.value = id;
    runId.value = null;
    showingPast.value = false;
    pending = [];
    catchingUp = false;
    resetLive();
    recorder.value = live;
    status.value = 'idle';
    version.value = 0;
    if (id) listen();
  }

  async function start(id: string, options: TrainOptions = {}): Promise<boolean> {
    setProject(id);
    listen();
    resetLive();
    showingPast.value = false;
    recorder.value = live;
    live.status = 'starting';
    live.name = options.runName ?? '';
    status.value = 'starting';
    runId.value = null;
    error.value = null;
    busy.value = true;
    try {
      const result = await host.call('training.start', { projectId: id, options });
      runId.value = result.runId;
      if (live.runId === '') live.runId = result.runId;
      return true;
    } catch (e) {
      live.status = 'failed';
      status.value = 'failed';
      error.value = T.errors.hostFailed(T.training.train, message(e));
      return false;
    } finally {
      busy.value = false;
      publish.request();
    }
  }

  async function control(
    action: 'training.pause' | 'training.resume' | 'training.stop',
    next: RunStatus,
    label: string,
  ): Promise<void> {
    if (!runId.value) return;
    busy.value = true;
    error.value = null;
    try {
      await host.call(action, { runId: runId.value });
      // The engine says `paused` on the event stream once the batch in flight has finished (its batch
      // event comes first), and `resumed` when it goes on; stop ends with run-end. Until `paused`
      // arrives the run is Pausing…: the batch count may still move. The run may also have ended
      // while the call was on its way (Pause during the last batch): its run-end event already set the
      // final status, which must not be turned back.
      if (next === 'pausing' && live.status === 'running') {
        live.status = next;
        // The recorder is a raw object: views redraw when its version moves.
        live.version += 1;
      }
      status.value = live.status;
    } catch (e) {
      error.value = T.errors.hostFailed(label, message(e));
    } finally {
      busy.value = false;
      publish.request();
    }
  }

  const pause = () => control('training.pause', 'pausing', T.training.pause);
  const resume = () => control('training.resume', 'running', T.training.resume);
  const stop = () => control('training.stop', 'stopped', T.training.stop);

  /** Draw a past run (from Runs) instead of the live one. */
  function showPast(past: RunRecorder): void {
    showingPast.value = true;
    recorder.value = markRaw(past);
    version.value = past.version;
  }

  function showLive(): void {
    showingPast.value = false;
    recorder.value = live;
    version.value = live.version;
  }

  // The one place the watched project is set: it is the open project. (A run started for a project
  // through `start` also switches to it.)
  const projects = useProjectStore();
  watch(() => projects.projectId, setProject, { immediate: true });

  return {
    recorder,
    version,
    status,
    liveBackend,
    runId,
    projectId,
    showingPast,
    error,
    busy,
    canStart,
    canPause,
    canResume,
    canStop,
    training,
    setProject,
    start,
    pause,
    resume,
    stop,
    showPast,
    showLive,
  };
});

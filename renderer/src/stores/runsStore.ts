// Every run of the open project (`runs.list`), the runs selected for comparison, and their histories
// (`runs.history`, folded into RunRecorders on first use and kept while the project is open).
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { RunAnnotation } from '../../../core/project/runNotes.js';
import { host } from '../host/index.js';
import { RunRecorder } from '../watch/runRecorder.js';
import { ingestHistory } from '../watch/historyPages.js';
import { bestFromRecorder, flattenSettings, runRow, type RunRow } from '../watch/runsTable.js';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const useRunsStore = defineStore('runs', () => {
  const projectId = ref<string | null>(null);
  const runs = ref<RunRow[]>([]);
  const selected = ref<string[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** runId -> its history; plain (non-reactive) recorders, `historyVersion` says when one arrived. */
  const histories = shallowRef(new Map<string, RunRecorder>());
  const historyVersion = ref(0);

  const selectedRuns = computed(() => runs.value.filter((r) => selected.value.includes(r.runId)));

  async function refresh(id: string | null): Promise<void> {
    if (id !== projectId.value) {
      projectId.value = id;
      runs.value = [];
      selected.value = [];
      histories.value = new Map();
    }
    if (!id) return;
    loading.value = true;
    error.value = null;
    try {
      const list = await host.call('runs.list', { projectId: id });
      runs.value = list.map(runRow).sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
      selected.value = selected.value.filter((s) => runs.value.some((r) => r.runId === s));
      for (const r of runs.value) enrich(r);
    } catch (e) {
      error.value = message(e);
    } finally {
      loading.value = false;
    }
  }

  /** Fill what a summary lacks (settings, best metrics) from the run's history once it is loaded. */
  function enrich(summary: RunRow): void {
    const history = histories.value.get(summary.runId);
    if (!history) return;
    if (Object.keys(summary.settings).length === 0) summary.settings = flattenSettings(history.config ?? {});
    summary.best = { ...summary.best, ...bestFromRecorder(history) };
    if (!summary.startedAt) summary.startedAt = history.startedAt;
  }

  async function history(runId: string): Promise<RunRecorder | null> {
    const known = histories.value.get(runId);
    if (known) return known;
    if (!projectId.value) return null;
    try {
      const recorder = markRaw(new RunRecorder());
      recorder.runId = runId;
      const project = projectId.value;
      await ingestHistory(recorder, (from, limit) =>
        host.call('runs.history', { projectId: project, runId, from, limit }),
      );
      const summary = runs.value.find((r) => r.runId === runId);
      if (summary && !recorder.name) recorder.name = summary.name;
      // A run cut off mid-way (the process killed, perhaps while paused) has no run-end event: its
      // history leaves it Training or Paused. The project lists how it ended; a past run says that.
      const stillLive =
        recorder.status === 'running' || recorder.status === 'paused' || recorder.status === 'pausing';
      if (summary && summary.status !== 'running' && stillLive) recorder.status = summary.status;
      histories.value.set(runId, recorder);
      if (summary) enrich(summary);
      runs.value = [...runs.value];
      historyVersion.value++;
      return recorder;
    } catch (e) {
      error.value = message(e);
      return null;
    }
  }

  async function toggle(runId: string): Promise<void> {
    if (selected.value.includes(runId)) {
      selected.value = selected.value.filter((id) => id !== runId);
      return;
    }
    selected.value = [...selected.value, runId];
    await history(runId);
  }

  /**
   * The user's note and/or tags on a run, stored in the project's run history by the host (the project
   * then has unsaved changes). Answers whether it was stored (else `error` says why).
   */
  async function annotate(runId: string, change: RunAnnotation): Promise<boolean> {
    if (!projectId.value) return false;
    try {
      const run = await host.call('runs.annotate', { projectId: projectId.value, runId, ...change });
      runs.value = runs.value.map((r) => (r.runId === runId ? { ...r, note: run.note, tags: run.tags } : r));
      error.value = null;
      return true;
    } catch (e) {
      error.value = message(e);
      return false;
    }
  }

  /** Load histories of all listed runs (small projects) so the table can show settings and best metrics. */
  async function loadAll(limit = 20): Promise<void> {
    for (const r of runs.value.slice(0, limit)) await history(r.runId);
  }

  return {
    projectId,
    runs,
    selected,
    selectedRuns,
    loading,
    error,
    histories,
    historyVersion,
    refresh,
    history,
    toggle,
    annotate,
    loadAll,
  };
});

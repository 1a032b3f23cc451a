// The open project: its document, whether it has unsaved changes, undo/redo, and the host calls that
// create, open, save and sync it. Every edit goes through `edit()`, so the canvas, the inspector and the
// code view share one history and one sync path. The host keeps an autosaved copy of every synced edit
// (crash recovery); saving writes the .rnnproj file.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CallResponse } from '../../../core/api/contract.js';
import type { Diagnostic } from '../../../core/graph/types.js';
import { host } from '../host/index.js';
import { asProjectDoc, cloneDoc, type ProjectDoc } from '../model/doc.js';
import { EditHistory } from '../model/history.js';
import { t } from '../i18n/index.js';
import { useUiStore } from './uiStore.js';

type Session = CallResponse<'project.create'>;

const LAST_KEY = 'rnn-studio.last-project';
const SYNC_DELAY_MS = 300;

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const useProjectStore = defineStore('project', () => {
  const projectId = ref<string | null>(null);
  const path = ref<string | null>(null);
  const name = ref('');
  const doc = shallowRef<ProjectDoc | null>(null);
  const dirty = ref(false);
  const hostDiagnostics = ref<Diagnostic[]>([]);
  const syncState = ref<'idle' | 'pending' | 'syncing' | 'saving' | 'error'>('idle');
  const lastError = ref<string | null>(null);
  const history = new EditHistory();
  const historyVersion = ref(0); // EditHistory is plain data; this makes canUndo/canRedo reactive
  let syncTimer: ReturnType<typeof setTimeout> | null = null;
  let syncing: Promise<void> = Promise.resolve();

  const canUndo = computed(() => (historyVersion.value, history.canUndo));
  const canRedo = computed(() => (historyVersion.value, history.canRedo));
  const task = computed(() => (doc.value?.task as string | undefined) ?? '');

  function load(session: Session): void {
    projectId.value = session.projectId;
    path.value = session.path;
    name.value = session.name;
    doc.value = asProjectDoc(session.doc);
    dirty.value = session.dirty;
    hostDiagnostics.value = session.diagnostics;
    history.clear();
    historyVersion.value++;
    localStorage.setItem(LAST_KEY, JSON.stringify({ projectId: session.projectId, path: session.path }));
  }

  /**
   * Opens a project in place of the open one. Callers asked first (components/leaveUnsaved.ts), so the one
   * replaced was saved or its changes discarded on purpose: it is closed at the host once the new one is
   * open (a failed open keeps it), which releases its session and deletes its autosave. The host refuses
   * while a run trains on it; that refusal is said, and the project stays open there with its run.
   */
  async function run(action: () => Promise<Session>): Promise<boolean> {
    const replaced = projectId.value;
    const replacedName = name.value;
    try {
      await flush();
      load(await action());
      lastError.value = null;
    } catch (error) {
      lastError.value = describeError(error);
      return false;
    }
    if (replaced && replaced !== projectId.value) await closeAtHost(replaced, replacedName);
    return true;
  }

  async function closeAtHost(id: string, replacedName: string): Promise<void> {
    try {
      await host.call('project.close', { projectId: id });
    } catch (error) {
      // Already gone (another tab closed it, or the host restarted) is what closing wanted anyway.
      // Refused (a run trains on it, started where this page did not see it): it stays open at the host,
      // run and all, and an unplanned stop of the host later leaves it recoverable.
      if ((error as { error?: { code?: string } }).error?.code !== 'not-found')
        useUiStore().notify(
          t('project.notClosed', { name: replacedName, reason: describeError(error) }),
          'error',
        );
    }
  }

  const create = (templateId: string) => run(() => host.call('project.create', { templateId }));
  const open = (filePath: string) => run(() => host.call('project.open', { path: filePath }));
  const importFile = (fileName: string, dataBase64: string) =>
    run(() => host.call('project.import', { fileName, dataBase64 }));
  const recover = (id: string) => run(() => host.call('project.recover', { id }));

  /** After a page reload: the host still holds the session, or the file is opened again. */
  async function reopenLast(): Promise<boolean> {
    const raw = localStorage.getItem(LAST_KEY);
    if (!raw) return false;
    const last = JSON.parse(raw) as { projectId?: string; path?: string | null };
    if (last.projectId && (await run(() => host.call('project.get', { projectId: last.projectId! }))))
      return true;
    if (last.path && (await run(() => host.call('project.open', { path: last.path! })))) return true;
    return false;
  }

  /** Takes the host's copy after it changed the project itself (data import); the undo history stays. */
  async function refresh(): Promise<void> {
    if (!projectId.value) return;
    await flush();
    try {
      const session = await host.call('project.get', { projectId: projectId.value });
      doc.value = asProjectDoc(session.doc);
      dirty.value = session.dirty || dirty.value;
      hostDiagnostics.value = session.diagnostics;
    } catch (error) {
      lastError.value = describeError(error);
    }
  }

  /**
   * The one way to change the document. `key` merges a burst of edits (typing, dragging) into one undo step.
   */
  function edit(mutate: (draft: ProjectDoc) => void, key?: string): void {
    if (!doc.value) return;
    const before = JSON.stringify(doc.value);
    const draft = cloneDoc(doc.value);
    mutate(draft);
    if (JSON.stringify(draft) === before) return;
    history.record(before, key);
    historyVersion.value++;
    commit(draft);
  }

  function commit(next: ProjectDoc): void {
    doc.value = next;
    dirty.value = true;
    scheduleSync();
  }

  function undo(): void {
    if (!doc.value) return;
    const previous = history.undo(JSON.stringify(doc.value));
    historyVersion.value++;
    if (previous) commit(asProjectDoc(JSON.parse(previous) as Record<string, unknown>));
  }

  function redo(): void {
    if (!doc.value) return;
    const next = history.redo(JSON.stringify(doc.value));
    historyVersion.value++;
    if (next) commit(asProjectDoc(JSON.parse(next) as Record<string, unknown>));
  }

  function scheduleSync(): void {
    syncState.value = 'pending';
    if (syncTimer) clearTimeout(syncTimer);
    syncTimer = setTimeout(() => void flush(), SYNC_DELAY_MS);
  }

  /** Sends the latest document to the host now (before save, train, export or leaving). */
  async function flush(): Promise<void> {
    if (syncTimer) {
      clearTimeout(syncTimer);
      syncTimer = null;
      const id = projectId.value;
      const current = doc.value;
      if (id && current) {
        syncing = syncing.then(async () => {
          syncState.value = 'syncing';
          try {
            const result = await host.call('project.update', { projectId: id, doc: current });
            hostDiagnostics.value = result.diagnostics;
            syncState.value = 'idle';
            lastError.value = null;
          } catch (error) {
            syncState.value = 'error';
            lastError.value = t('project.syncFailed', { reason: describeError(error) });
          }
        });
      }
    }
    await syncing;
  }

  async function save(toPath?: string): Promise<boolean> {
    if (!projectId.value) return false;
    await flush();
    syncState.value = 'saving';
    try {
      const result = await host.call('project.save', {
        projectId: projectId.value,
        ...(toPath ? { path: toPath } : {}),
      });
      path.value = result.path;
      dirty.value = false;
      syncState.value = 'idle';
      lastError.value = null;
      localStorage.setItem(LAST_KEY, JSON.stringify({ projectId: projectId.value, path: result.path }));
      return true;
    } catch (error) {
      syncState.value = 'error';
      lastError.value = t('project.saveFailed', { reason: describeError(error) });
      return false;
    }
  }

  /** A browser cannot write to the user's disk: it downloads the .rnnproj instead of "Save as". */
  async function download(): Promise<{ fileName: string; dataBase64: string } | null> {
    if (!projectId.value) return null;
    await flush();
    try {
      return await host.call('project.download', { projectId: projectId.value });
    } catch (error) {
      lastError.value = describeError(error);
      return null;
    }
  }

  function close(): void {
    if (projectId.value)
      void host.call('project.close', { projectId: projectId.value }).catch(() => undefined);
    projectId.value = null;
    doc.value = null;
    localStorage.removeItem(LAST_KEY);
  }

  return {
    projectId,
    path,
    name,
    doc,
    task,
    dirty,
    hostDiagnostics,
    syncState,
    lastError,
    canUndo,
    canRedo,
    create,
    open,
    importFile,
    recover,
    reopenLast,
    refresh,
    edit,
    undo,
    redo,
    flush,
    save,
    download,
    close,
  };
});

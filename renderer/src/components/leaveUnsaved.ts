// Before another project replaces the open one: unsaved changes are not dropped without a question, and a
// run still training on it is not dropped at all. What the user leaves is closed at the host (projectStore),
// its autosave deleted, so it is not offered back as "unsaved work" after a restart.
import { useProjectStore } from '../stores/projectStore.js';
import { useTrainingStore } from '../stores/trainingStore.js';
import { t } from '../i18n/index.js';

/**
 * True when it is fine to open something else: nothing unsaved, or the user said so. A template opened and
 * not touched yet (no edit, no run) is unsaved but holds no work of the user's, so it is replaced without a
 * question.
 * While a run trains on the open project the answer is no, and `refused` gets the reason to show: the
 * user stops the run and decides whether to keep it (the host refuses to close a training project too).
 */
export function confirmLeavingUnsaved(refused: (message: string) => void): boolean {
  const project = useProjectStore();
  const name = project.name || t('app.noProject');
  const training = useTrainingStore();
  if (!project.doc) return true;
  if (training.training) {
    refused(t('project.stopRunFirst', { name }));
    return false;
  }
  const trained = training.runId !== null || project.doc.runs.length > 0;
  const work = project.canUndo || project.path !== null || trained;
  if (!project.dirty || !work) return true;
  return window.confirm(t('project.leaveUnsaved', { name }));
}

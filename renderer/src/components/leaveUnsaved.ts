// Before another project replaces the open one: unsaved changes are not dropped without a question.
import { useProjectStore } from '../stores/projectStore.js';
import { t } from '../i18n/index.js';

/**
 * True when it is fine to open something else: nothing unsaved, or the user said so. A template opened and
 * not touched yet is unsaved but holds no work of the user's, so it is replaced without a question.
 */
export function confirmLeavingUnsaved(): boolean {
  const project = useProjectStore();
  const work = project.canUndo || project.path !== null;
  if (!project.doc || !project.dirty || !work) return true;
  return window.confirm(t('project.leaveUnsaved', { name: project.name || t('app.noProject') }));
}

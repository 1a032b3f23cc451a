// What the title bar's backend badge says (UX.md). While a run of this window is underway: the backend
// it trains on, by rung name (the full line, with the adapter and what Automatic measured, on hover).
// Otherwise the first rung of the ladder that starts on this machine, which evaluation and prediction
// use and Automatic starts from.
import type { RunStatus } from '../watch/runRecorder.js';
import { t } from '../i18n/index.js';

const UNDERWAY: readonly RunStatus[] = ['starting', 'running', 'pausing', 'paused'];

export function backendBadge(
  status: RunStatus,
  runBackend: string,
  firstRung: string | null,
): { text: string; title: string } {
  if (UNDERWAY.includes(status) && runBackend) {
    return { text: t('app.backendTraining', { name: runBackend.split(' (')[0]! }), title: runBackend };
  }
  if (!firstRung) return { text: t('app.backendUnknown'), title: '' };
  return { text: t('app.backend', { name: firstRung }), title: t('app.backendTitle') };
}

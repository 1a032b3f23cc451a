// Copies the E2E run's screenshots that the READMEs show into renderer/docs/screenshots, under the names
// the READMEs use. Run after `npx playwright test` (which writes test-results/screenshots/); the
// histogram and confusion-matrix pictures are cut to their panel by the specs themselves when
// RNN_STUDIO_DOC_SCREENSHOTS=1 is set for that run. Fails, naming it, when a screenshot is missing, so a
// renamed one is not silently left stale.
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const from = resolve('test-results/screenshots');
const to = resolve('renderer/docs/screenshots');
/** README name ← the spec's screenshot name. */
const NAMES = {
  'compose-02-start-page': 'compose-02-start-page',
  'compose-04-wrapped-bidirectional': 'compose-04-wrapped-bidirectional',
  'compose-05-invalid-connection': 'compose-05-invalid-connection',
  'compose-06-inspector-edit': 'compose-06-inspector-edit',
  'compose-08-code-model-json': 'compose-08-code-model-json',
  'compose-12-data-imported': 'compose-12-data-imported',
  'compose-15-dark-theme': 'compose-15-dark-theme',
  'layout-1280x720-training': 'layout-02-1280x720-training',
  'layout-bottom-maximised': 'layout-01-bottom-maximised',
  'perf-canvas-200-nodes': 'perf-canvas-200-nodes',
  'playground-inside-gates': 'inside-typed-gates',
  'runs-notes-tags': 'runs-notes-tags',
  'settings-pooling-mean': 'settings-01-pooling-mean',
  'settings-training-sgd': 'settings-02-training-sgd',
  'smoothing-slider': 'smoothing-01-loss-0.9',
  'state-paused-toolbar': 'state-01-paused-toolbar',
  'watch-attention-sentiment': 'watch-attention-sentiment',
  'watch-gradients-done': 'watch-gradients-done',
  'watch-playground-generate': 'watch-playground-generate',
  'watch-playground-translate': 'watch-playground-translate',
  'watch-runs-overlay': 'watch-runs-overlay',
  'watch-training-done': 'watch-training-done',
  'wiring-refused': 'wiring-01-refused',
};

const missing = Object.values(NAMES).filter((name) => !existsSync(join(from, `${name}.png`)));
if (missing.length > 0) {
  console.error(`docScreenshots: not in ${from}: ${missing.join(', ')} (run the E2E suite first)`);
  process.exit(1);
}
for (const [doc, name] of Object.entries(NAMES))
  copyFileSync(join(from, `${name}.png`), join(to, `${doc}.png`));
console.log(`docScreenshots: ${Object.keys(NAMES).length} screenshots copied into ${to}`);

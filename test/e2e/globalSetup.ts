// Once before an E2E run: the studio under test starts without the autosaves an earlier run left. The
// harness ends the host the way a closed window or a crash would, so the projects each run left edited are,
// rightly, offered for recovery at the next start; a test run should start as a first start does, so its
// start page and screenshots show no recovery offer it did not cause. recovery.spec.ts tests the list.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_DATA_DIR } from './studio.js';

export default function globalSetup(): void {
  const folder = join(E2E_DATA_DIR, 'recovery');
  let names: string[] = [];
  try {
    names = readdirSync(folder);
  } catch {
    return; // no earlier run
  }
  // The files, not the folder: the host under test may already be up and writing into it.
  for (const name of names) rmSync(join(folder, name), { force: true });
}

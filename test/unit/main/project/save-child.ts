// Run by atomic-save.test.ts and killed at random moments: saves one project over and over through the
// real ProjectStore, alternating its name between "A" and "B", with 8 MB of incompressible weights so a
// save takes long enough to be interrupted in the middle.
import { randomBytes } from 'node:crypto';
import { ProjectStore } from '../../../../main/project/index.js';

const [target, dataDir, resourcesDir] = process.argv.slice(2) as [string, string, string];
const store = new ProjectStore({ dataDir, resourcesDir, autosaveMs: 0 });
await store.init();
const session = await store.create('tagger');
store.writeEntries(session.projectId, { 'weights/model.bin': new Uint8Array(randomBytes(8 * 1024 * 1024)) });
for (let i = 0; ; i++) {
  store.update(session.projectId, { ...store.doc(session.projectId), name: i % 2 === 0 ? 'A' : 'B' });
  await store.save(session.projectId, target);
}

// Writes a project zip: project.json first, then the other entries in name order, so the same project
// gives the same bytes (fixed timestamps). Binary weights are stored; text is deflated.
import { zipSync, type Zippable } from 'fflate';

const FIXED_TIME = new Date('2000-01-01T00:00:00Z');

export function writeProjectZip(projectJson: string, entries: Map<string, Uint8Array>): Uint8Array {
  const files: Zippable = {
    'project.json': [new TextEncoder().encode(projectJson), { level: 6, mtime: FIXED_TIME }],
  };
  for (const name of [...entries.keys()].sort()) {
    if (name === 'project.json') continue;
    const binary = name.endsWith('.bin');
    files[name] = [entries.get(name)!, { level: binary ? 0 : 6, mtime: FIXED_TIME }];
  }
  return zipSync(files);
}

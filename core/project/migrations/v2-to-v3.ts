// Format 2 -> format 3: runs carry the user's note and tags. Format 2 runs had neither; they start with an
// empty note and no tags. A newer file gets its own number so an older build says "saved by a newer RNN
// Studio" instead of refusing the unknown run fields one by one.
import { z } from 'zod';

export const ProjectV2Schema = z.looseObject({
  formatVersion: z.literal(2),
  runs: z.array(z.looseObject({})).optional(),
});
type ProjectV2 = z.output<typeof ProjectV2Schema>;

export function migrateV2toV3(v2: ProjectV2): Record<string, unknown> {
  return {
    ...v2,
    formatVersion: 3,
    ...(v2.runs ? { runs: v2.runs.map((run) => ({ ...run, note: '', tags: [] })) } : {}),
  };
}

// Every forward migration, in ONE explicit list: migration k turns format `from` into format `from + 1`.
// Each checks the structure it needs first (its own zod schema), so a damaged old file is reported with
// the field that is wrong rather than crashing half-way.
import type { z } from 'zod';
import { ProjectV1Schema, migrateV1toV2 } from './v1-to-v2.js';
import { ProjectV2Schema, migrateV2toV3 } from './v2-to-v3.js';

export interface Migration {
  from: number;
  schema: z.ZodType;
  migrate(doc: never): Record<string, unknown>;
}

export const migrations: readonly Migration[] = [
  { from: 1, schema: ProjectV1Schema, migrate: migrateV1toV2 as Migration['migrate'] },
  { from: 2, schema: ProjectV2Schema, migrate: migrateV2toV3 as Migration['migrate'] },
];

/** The oldest format this build still opens. */
export const OLDEST_FORMAT_VERSION = 1;

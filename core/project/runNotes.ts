// The user's note and tags on a run. Training writes a run's summary; only the user writes these, so a
// run's record keeps them whatever training writes later (main/training/runRecord.ts reads them back).
import { MAX_RUN_TAGS, type ProjectDoc, type RunSummary } from './schema.js';

export interface RunAnnotation {
  /** The whole note (replaces the old one); absent = unchanged. */
  note?: string;
  /** The whole tag list (replaces the old one); absent = unchanged. */
  tags?: string[];
}

/**
 * Tags as stored: trimmed, inner spaces collapsed, empty ones dropped, and the same tag written twice kept
 * once (the first spelling wins; "Baseline" and "baseline" are one tag to a person filtering).
 */
export function normalizeTags(tags: readonly string[]): string[] {
  return distinctTags(tags).slice(0, MAX_RUN_TAGS);
}

function distinctTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim().replace(/\s+/g, ' ');
    const key = tag.toLowerCase();
    if (!tag || seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

/** The document with one run's note and/or tags replaced, or null when the project has no such run. */
export function annotateRun(
  doc: ProjectDoc,
  runId: string,
  change: RunAnnotation,
): { doc: ProjectDoc; run: RunSummary } | null {
  const index = doc.runs.findIndex((r) => r.id === runId);
  const old = doc.runs[index];
  if (!old) return null;
  const run: RunSummary = {
    ...old,
    ...(change.note !== undefined ? { note: change.note } : {}),
    ...(change.tags !== undefined ? { tags: normalizeTags(change.tags) } : {}),
  };
  const runs = doc.runs.map((r, i) => (i === index ? run : r));
  return { doc: { ...doc, runs }, run };
}

/** Every tag used in these runs, each once, sorted as a person reads them (for the Runs tab's filter). */
export function tagsInUse(runs: readonly Pick<RunSummary, 'tags'>[]): string[] {
  return distinctTags(runs.flatMap((r) => r.tags)).sort((a, b) =>
    a.localeCompare(b, undefined, { sensitivity: 'base' }),
  );
}

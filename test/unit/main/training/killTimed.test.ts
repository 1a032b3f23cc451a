// The kill test: SIGKILLs of `rnn-studio train` and `rnn-studio data --import` timed to the moment a temp
// file of a save appears, each followed by an open (`rnn-studio validate` or the studio's project.open, in
// turn): no project is corrupt, the open leaves no temp file, and no run is left running. RNN_STUDIO_KILLS
// sets the kills of each kind (default 10 here; `npm run verify -- kill-timed` runs 100 of each).
import { describe, expect, it } from 'vitest';
import { describeFigures, killTimedToTemps } from '../../../../scripts/verify/kill-shared.js';

const count = Number(process.env.RNN_STUDIO_KILLS ?? 10);

describe('SIGKILL timed to a save', () => {
  it(
    `train and import, ${count} kills each → 0 corrupt, ` +
      `0 temp files after the next open, 0 runs left running`,
    async () => {
      const started = Date.now();
      // Both kinds side by side (two projects of each killed at once): the machine's cores stay busy.
      const all = await Promise.all([killTimedToTemps('train', count), killTimedToTemps('import', count)]);
      console.log(
        `${all.map(describeFigures).join('\n')}\n(${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      for (const f of all) {
        expect(f.problems).toEqual([]);
        expect({
          corrupt: f.corrupt,
          tempsAfterOpen: f.tempsAfterOpen,
          runningAfterOpen: f.runningAfterOpen,
          failed: f.failedToStart,
        }).toEqual({
          corrupt: 0,
          tempsAfterOpen: 0,
          runningAfterOpen: 0,
          failed: 0,
        });
        // The kills really landed in saves (an import may finish
        // before its save is seen; a train never does).
        expect(f.kills).toBeGreaterThanOrEqual(f.kind === 'train' ? count : Math.ceil(count / 2));
        expect(f.leftTemps).toBeGreaterThan(0);
      }
    },
    // Generous: each kill starts two processes, slow on a busy
    // machine; the figures, not the time, are checked.
    60_000 + count * 30_000,
  );
});

// V8 settings for a process that trains: a run's engine process (forked or Electron's utilityProcess)
// and the CLI, whose `bench` trains in its own process (bin/rnn-studio.mjs repeats the flag in its
// first line, since a heap setting must be given before V8 starts; a test keeps the two equal).
//
// Why: V8 starts a full (mark-compact) collection whenever the old generation's headroom is below the
// young generation's capacity. An engine's old generation is small (30-40 MB) while a training step
// allocates 3-5 MB of short-lived objects, so with the default headroom the engine thread ran a full
// collection every one to three steps: concurrent marking and sweeping on V8's helper threads, and
// optimized code of tfjs's per-call closures, held weakly, thrown away and recompiled each time
// (tag-bilstm, 2 workers: about 110 recompilations per 60 steps, 19-30 ms of helper-thread CPU per
// step). With two engines on two cores that work has no idle core to run on and slows both shards.
// A 128 MB starting old generation removes almost all of them (2 full collections in 200 steps);
// the cost is up to that much more memory before the first full collection.
export const INITIAL_OLD_SPACE_MB = 128;

/** The V8 flags of a process that trains, within the run's heap limit when it has one. */
export function engineV8Flags(maxOldSpaceMb?: number): string[] {
  const initial = maxOldSpaceMb ? Math.min(INITIAL_OLD_SPACE_MB, maxOldSpaceMb) : INITIAL_OLD_SPACE_MB;
  return [
    `--initial-old-space-size=${initial}`,
    ...(maxOldSpaceMb ? [`--max-old-space-size=${maxOldSpaceMb}`] : []),
  ];
}

/** The engine flags this process was started without (profiling scripts say so: their figures differ). */
export function missingEngineFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return engineV8Flags().filter((flag) => !execArgv.includes(flag));
}

/** Says so, for a profiling script, when this process lacks the engine flags (its figures then differ). */
export function noteMissingEngineFlags(log: (line: string) => void = console.log): void {
  const missing = missingEngineFlags();
  if (missing.length > 0)
    log(`note: started without ${missing.join(' ')}, which runs and the CLI use (scripts/bench/README.md)`);
}

// How busy the rest of the machine was while a figure was timed: the cores' busy time (Linux /proc/stat)
// minus this process's own CPU time (its worker threads included), over the wall time, in cores. On a
// shared machine a data-parallel figure means little when another process held a core; the bench prints
// this beside each figure instead of leaving the reader to guess from a load average.
import { readFileSync } from 'node:fs';

interface Mark {
  busySeconds: number | null;
  ownSeconds: number;
  wallSeconds: number;
}

/** Busy time of all cores in seconds (user, nice, system, irq, softirq, steal), or null off Linux. */
function busySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …; USER_HZ is 100 on every Linux Node runs on.
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return line.startsWith('cpu ') ? busy / 100 : null;
  } catch {
    return null;
  }
}

function mark(): Mark {
  const u = process.cpuUsage();
  return {
    busySeconds: busySeconds(),
    ownSeconds: (u.user + u.system) / 1e6,
    wallSeconds: performance.now() / 1000,
  };
}

/** Starts timing; the returned function gives the cores other processes used since (null off Linux). */
export function watchOtherLoad(): () => number | null {
  const start = mark();
  return () => {
    const end = mark();
    const wall = end.wallSeconds - start.wallSeconds;
    if (start.busySeconds === null || end.busySeconds === null || wall <= 0) return null;
    const others = end.busySeconds - start.busySeconds - (end.ownSeconds - start.ownSeconds);
    // /proc/stat counts in 10 ms ticks: a short span can come out a little below zero.
    return Math.max(0, Math.round((others / wall) * 100) / 100);
  };
}

// One animation frame for the whole dashboard: every chart that is due to redraw queues its redraw here,
// and the queue runs them together in a single requestAnimationFrame callback, timed as one User Timing
// measure (`rnn-dashboard-frame`): that measure is the dashboard's work in that frame.
//
// A frame has a budget. Each job's last cost is remembered; once the frame has spent its budget, a job
// that would push it over waits for the next frame (it keeps its place at the head of the queue, so a slow
// chart is delayed by a frame, never starved). At least one job runs per frame, so a chart that alone costs
// more than the budget still draws. Without this, four charts that each cost 5 ms and happen to fall due in
// the same frame make a 20 ms frame: a dropped frame while the user scrolls or zooms.
export type FrameJob = () => void;

export interface FrameQueue {
  /** Run `job` in the next frame that has room for it (a job already queued keeps its place). */
  add(job: FrameJob): void;
  /** Forget a queued job (a chart that is hidden or gone). */
  remove(job: FrameJob): void;
  /** Number of jobs waiting. */
  readonly size: number;
}

export interface FrameClock {
  now(): number;
  frame(cb: () => void): number;
}

export interface FrameQueueOptions {
  /** Work allowed per frame, ms. 16.7 ms is a frame at 60 Hz; the browser needs part of it to paint. */
  budgetMs?: number;
  /** Called after each frame that ran jobs, with its start and end (performance.now() times). */
  onFrame?: (start: number, end: number, jobs: number) => void;
}

export function createFrameQueue(clock: FrameClock, options: FrameQueueOptions = {}): FrameQueue {
  const budget = options.budgetMs ?? 10;
  const jobs = new Set<FrameJob>();
  /** Last measured cost of each job, ms; a job never run is assumed to fit. */
  const cost = new WeakMap<FrameJob, number>();
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const start = clock.now();
    let ran = 0;
    try {
      for (const job of [...jobs]) {
        const spent = clock.now() - start;
        if (ran > 0 && spent + (cost.get(job) ?? 0) > budget) break;
        jobs.delete(job);
        const t0 = clock.now();
        ran++;
        job();
        cost.set(job, clock.now() - t0);
      }
    } finally {
      // Also when a job threw: the jobs behind it still get their frame.
      if (jobs.size > 0) schedule();
      if (ran > 0) options.onFrame?.(start, clock.now(), ran);
    }
  };

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    clock.frame(flush);
  }

  return {
    add(job) {
      jobs.add(job);
      schedule();
    },
    remove(job) {
      jobs.delete(job);
    },
    get size() {
      return jobs.size;
    },
  };
}

let shared: FrameQueue | null = null;

/** The queue every dashboard chart shares (created on first use, in the browser). */
export function dashboardFrame(): FrameQueue {
  shared ??= createFrameQueue(
    {
      now: () => performance.now(),
      frame: (cb) =>
        typeof requestAnimationFrame === 'function'
          ? requestAnimationFrame(cb)
          : (setTimeout(cb, 16) as unknown as number),
    },
    { onFrame: (start, end) => performance.measure('rnn-dashboard-frame', { start, end }) },
  );
  return shared;
}

// Pause, resume and stop for a run, checked by the loop between batches ("within one batch").
export class RunControl {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;

  get stopRequested(): boolean {
    return this.stopped;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Resolves at once when running; when paused, once resumed or stopped. */
  async waitWhilePaused(): Promise<void> {
    while (this.paused && !this.stopped) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}

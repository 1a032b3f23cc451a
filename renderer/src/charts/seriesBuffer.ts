// A growable (x, y) series in typed arrays. Telemetry can stream hundreds of thousands of batches; keeping
// them in plain JS arrays of objects would cost ~10x the memory and make every redraw allocate. Charts read
// the raw arrays and decimate them to the pixels they have (see decimate.ts).
export class SeriesBuffer {
  x: Float64Array;
  y: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.x = new Float64Array(capacity);
    this.y = new Float64Array(capacity);
  }

  push(x: number, y: number): void {
    if (this.length === this.x.length) this.grow();
    this.x[this.length] = x;
    this.y[this.length] = y;
    this.length += 1;
  }

  /** Last y value, or undefined while empty. */
  last(): number | undefined {
    return this.length > 0 ? this.y[this.length - 1] : undefined;
  }

  /** Smallest finite y (for "best validation loss" and similar). */
  min(): number | undefined {
    let best: number | undefined;
    for (let i = 0; i < this.length; i++) {
      const v = this.y[i]!;
      if (Number.isFinite(v) && (best === undefined || v < best)) best = v;
    }
    return best;
  }

  max(): number | undefined {
    let best: number | undefined;
    for (let i = 0; i < this.length; i++) {
      const v = this.y[i]!;
      if (Number.isFinite(v) && (best === undefined || v > best)) best = v;
    }
    return best;
  }

  clear(): void {
    this.length = 0;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.x.length * 2);
    const x = new Float64Array(capacity);
    const y = new Float64Array(capacity);
    x.set(this.x);
    y.set(this.y);
    this.x = x;
    this.y = y;
  }
}

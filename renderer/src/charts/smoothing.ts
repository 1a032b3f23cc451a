// Exponential smoothing of a chart series, as TensorBoard's smoothing slider does it: a running average
// that forgets old values at rate `weight` (0 = raw, 0.99 = very smooth), debiased at the start so the
// first points are not pulled towards 0. Incremental: a redraw smooths only the points added since the
// last one, so a 100,000-batch run costs nothing extra per frame.
import { SeriesBuffer } from './seriesBuffer.js';

export const MAX_SMOOTHING = 0.99;

export class Smoother {
  readonly out = new SeriesBuffer();
  private done = 0;
  private last = 0;
  private count = 0;
  private weight = -1;
  private source: SeriesBuffer | null = null;

  /** Brings `out` up to date with `source` smoothed at `weight`; restarts when either changed. */
  update(source: SeriesBuffer, weight: number): SeriesBuffer {
    const w = Math.min(MAX_SMOOTHING, Math.max(0, weight));
    if (w !== this.weight || source !== this.source || source.length < this.done) {
      this.weight = w;
      this.source = source;
      this.done = 0;
      this.last = 0;
      this.count = 0;
      this.out.clear();
    }
    for (let i = this.done; i < source.length; i++) {
      const y = source.y[i]!;
      if (!Number.isFinite(y)) {
        this.out.push(source.x[i]!, y); // a NaN or infinite loss is shown as it is, not averaged away
        continue;
      }
      this.last = this.last * w + (1 - w) * y;
      this.count += 1;
      const debias = w === 0 ? 1 : 1 - w ** this.count;
      this.out.push(source.x[i]!, this.last / debias);
    }
    this.done = source.length;
    return this.out;
  }
}

/** One smoother per source series, created on first use and dropped with the series. */
export function smootherCache(): (source: SeriesBuffer, weight: number) => SeriesBuffer {
  const cache = new WeakMap<SeriesBuffer, Smoother>();
  return (source, weight) => {
    let smoother = cache.get(source);
    if (!smoother) cache.set(source, (smoother = new Smoother()));
    return smoother.update(source, weight);
  };
}

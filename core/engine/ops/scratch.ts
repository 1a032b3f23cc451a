// Reused large arrays for the fused ops' per-call records (gate activations, previous states, gate
// gradients). An lm-lstm step writes about 80 MB of them; fresh Float32Arrays of that size cost ~28 ms
// per step in page faults, zeroing and garbage collection (measured on wasm, 2 cores), about 4% of the
// step. Arrays come back to the pool only when the op knows its last reader has run (see `Scratch`);
// one that is never given back (a forward without a backward pass) is simply garbage collected.
//
// Rule: an array from the pool is dirty. Callers overwrite every element they later read, or ask for
// a zeroed one. Never hand a pooled array to tf.tensor() beyond a tidy: the cpu backend keeps the array
// itself as the tensor's storage.

const free = new Map<number, Float32Array[]>();
let pooledBytes = 0;
/** At most this much idle memory stays pooled; beyond it, returned arrays go to the garbage collector. */
const MAX_POOLED_BYTES = 512 * 1024 * 1024;
const MAX_PER_SIZE = 8;

function take(length: number, zeroed: boolean): Float32Array {
  const list = free.get(length);
  const a = list?.pop();
  if (!a) return new Float32Array(length);
  pooledBytes -= a.byteLength;
  if (zeroed) a.fill(0);
  return a;
}

function give(a: Float32Array): void {
  const list = free.get(a.length) ?? [];
  if (list.length >= MAX_PER_SIZE || pooledBytes + a.byteLength > MAX_POOLED_BYTES) return;
  list.push(a);
  free.set(a.length, list);
  pooledBytes += a.byteLength;
}

/**
 * A group of arrays with one lifetime: `take` them, `release` them all when their last reader is done.
 * Reading through `check` after the release throws instead of reading another call's data.
 */
export class Scratch {
  private arrays: Float32Array[] = [];
  private released = false;

  constructor(private readonly what: string) {}

  take(length: number, options: { zeroed?: boolean } = {}): Float32Array {
    const a = take(length, options.zeroed ?? false);
    this.arrays.push(a);
    return a;
  }

  /** Throws if the arrays were already given back (an internal ordering bug, never a user error). */
  check(): void {
    if (this.released) throw new Error(`internal: ${this.what} read after it was released for reuse`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    for (const a of this.arrays) give(a);
    this.arrays = [];
  }
}

/** Forgets every pooled array (for tests: the next records are fresh, zeroed arrays). */
export function clearScratchPool(): void {
  free.clear();
  pooledBytes = 0;
}

/** Idle pooled bytes (for tests). */
export function pooledScratchBytes(): number {
  return pooledBytes;
}

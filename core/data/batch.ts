// One padded batch as the data pipeline hands it to the engine. Plain typed arrays (no tfjs), so batches
// can be built in a worker, sent over a MessagePort and checked in tests without a backend.

export type BatchDType = 'int32' | 'float32';

export interface BatchTensor {
  dtype: BatchDType;
  shape: number[];
  data: Int32Array | Float32Array;
}

/**
 * Tensors by role. Which are present depends on the task:
 * - `tokens` [B,T] int32 ids (0 = padding) or `features` [B,T,F] float32, with `mask` [B,T] float32
 *   (1 = real step)
 * - classification: `labels` [B] int32; regression: `targets` [B] or [B,K] float32
 * - tagging: `labels` [B,T] int32 (masked by `mask`)
 * - language model: `tokens` [B,T] and `labels` [B,T] (next ids), `mask`
 * - sequence to sequence: `source` [B,S], `sourceMask` [B,S], `targetIn` [B,T] (starts with the start
 *   symbol), `targetOut` [B,T] (ends with the end symbol), `targetMask` [B,T]
 */
export type Batch = Partial<
  Record<
    | 'tokens'
    | 'features'
    | 'mask'
    | 'labels'
    | 'targets'
    | 'source'
    | 'sourceMask'
    | 'targetIn'
    | 'targetOut'
    | 'targetMask',
    BatchTensor
  >
>;

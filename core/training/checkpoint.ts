// A checkpoint: everything needed to continue a run exactly — weights, optimizer slots and step count,
// the random state the current epoch's batch order was drawn from, how far into that epoch the run got,
// and the small states of the schedule and early stopping. Encoded as one byte array (a JSON header and
// float32 blocks) so main/ can write it atomically into the project. Non-finite weights are refused here,
// so nothing non-finite is ever saved.
import type { TrainingConfig } from './config.js';
import type { OptimizerState } from './optimizers.js';
import type { PlateauState } from './schedules.js';
import { firstNonFinite, type SavedTensor } from './tensors.js';
import type { SplitSummary } from '../telemetry/events.js';
import { decodeUtf8, encodeUtf8 } from '../data/tokenizers/utf8.js';

export interface ProgressTracker {
  /** Best value of the watched metric so far, its epoch, and epochs since it improved. */
  bestValue: number | null;
  bestEpoch: number;
  badEpochs: number;
}

/**
 * Running sums of the epoch in progress, so a resumed epoch reports the same mean as an uninterrupted one.
 */
export interface EpochAccumulator {
  lossSum: number;
  count: number;
  metricSums: Record<string, number>;
  tokens: number;
}

export interface CheckpointState {
  format: 1;
  runId: string;
  config: TrainingConfig;
  /** Epochs completed. */
  epoch: number;
  /** Batches done in the epoch in progress; 0 at an epoch boundary. */
  batchInEpoch: number;
  /** Batches done in the whole run. */
  step: number;
  /** Random state from which the batch order of the epoch in progress (or the next) is drawn. */
  randomAtEpochStart: number;
  /** State of the random source dropout draws from (ForwardOptions.random), now. */
  dropoutRandom?: number;
  weights: SavedTensor[];
  optimizer: OptimizerState;
  plateau: PlateauState;
  tracker: ProgressTracker;
  partial: EpochAccumulator;
  lastEpoch?: { train: SplitSummary; validation?: SplitSummary };
}

const MAGIC = 'RNNCKPT1';

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export function encodeCheckpoint(state: CheckpointState): Uint8Array {
  for (const w of state.weights) {
    const bad = firstNonFinite(w.data);
    if (bad >= 0)
      throw new Error(
        `Refusing to save a checkpoint: weight "${w.name}" holds ${w.data[bad]} at index ${bad}.`,
      );
  }
  const tensors = [
    ...state.weights.map((t) => ({ t, group: 'w' })),
    ...state.optimizer.slots.map((t) => ({ t, group: 'o' })),
  ];
  let offset = 0;
  const entries: (TensorEntry & { group: string })[] = tensors.map(({ t, group }) => {
    const entry = { name: t.name, shape: t.shape, offset, length: t.data.length, group };
    offset += t.data.length;
    return entry;
  });
  const { weights: _w, optimizer, ...rest } = state;
  const header = JSON.stringify({
    ...rest,
    optimizer: { kind: optimizer.kind, step: optimizer.step },
    tensors: entries,
  });
  const headerBytes = Uint8Array.from(encodeUtf8(header));
  const padded = Math.ceil((MAGIC.length + 4 + headerBytes.length) / 4) * 4;
  const out = new Uint8Array(padded + offset * 4);
  out.set(Uint8Array.from(encodeUtf8(MAGIC)), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  out.set(headerBytes, MAGIC.length + 4);
  const floats = new Float32Array(out.buffer, padded, offset);
  tensors.forEach(({ t }, i) => floats.set(t.data, (entries[i] as TensorEntry).offset));
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): CheckpointState {
  const magic = decodeUtf8(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new Error('Not a studio checkpoint (wrong signature).');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) throw new Error('Checkpoint is truncated (header).');
  const header = JSON.parse(decodeUtf8(bytes.subarray(MAGIC.length + 4, headerEnd))) as Omit<
    CheckpointState,
    'weights' | 'optimizer'
  > & {
    optimizer: { kind: OptimizerState['kind']; step: number };
    tensors: (TensorEntry & { group: string })[];
  };
  if (header.format !== 1) throw new Error(`Checkpoint format ${String(header.format)} is not supported.`);
  const padded = Math.ceil(headerEnd / 4) * 4;
  const total = header.tensors.reduce((n, e) => n + e.length, 0);
  if (padded + total * 4 > bytes.length) throw new Error('Checkpoint is truncated (weights).');
  // Copy so the floats are aligned whatever the input buffer's offset.
  const floats = new Float32Array(bytes.slice(padded, padded + total * 4).buffer);
  const weights: SavedTensor[] = [];
  const slots: SavedTensor[] = [];
  for (const e of header.tensors) {
    const tensor = { name: e.name, shape: e.shape, data: floats.slice(e.offset, e.offset + e.length) };
    (e.group === 'w' ? weights : slots).push(tensor);
  }
  const { tensors: _t, optimizer, ...rest } = header;
  return { ...rest, weights, optimizer: { ...optimizer, slots } };
}

// The fused ops read and write their per-step buffers through views of wasm memory, and a view goes stale
// (detached: writes vanish, reads give nothing) when the memory grows, which any backend call may do
// (XNNPACK allocates an operator on a product's first run). Here the memory is made to grow inside the
// first kernel calls of a forward and backward pass, and every output and gradient must be exactly what
// the same pass gives without growth: a loop that held a view across a kernel call would lose that
// step's values.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../../../main/engine/backend.js';
import { type CellConfig, biasShape, gateCount, runCell } from '../../../../../core/engine/ops/recurrent.js';
import { activeWasm } from '../../../../../core/engine/tfjsInternals.js';
import { ownProducts, setOwnStepProduct } from '../../../../../core/engine/ops/stepKernels.js';
import { enableRelaxedSimd } from '../../../../../main/engine/wasmFeatures.js';

beforeAll(async () => {
  await selectBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

const B = 3;
const T = 4;
const In = 5;
const H = 6;

function random(seed: number, n: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
}

interface EmscriptenHeap {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

/** Grows wasm memory through the allocator (as a kernel's own allocation would), so views go stale. */
function growMemory(): number {
  const module = (tf.backend() as unknown as { wasm: EmscriptenHeap }).wasm;
  const before = module.HEAPU8.buffer;
  const taken: number[] = [];
  while (module.HEAPU8.buffer === before) {
    const p = module._malloc(4 << 20);
    // At its maximum size the memory cannot grow: malloc gives 0 (null), and the loop would never end.
    if (p === 0) throw new Error(`wasm memory did not grow within ${taken.length * 4} MB of allocations`);
    taken.push(p);
  }
  for (const p of taken) module._free(p);
  return 1;
}

/** Outputs and every input's gradient of one forward and backward pass. */
function pass(cell: CellConfig): number[][] {
  const H = cell.units;
  const G = gateCount(cell.kind) * H;
  const inputs = [
    tf.tensor3d(random(1, B * T * In), [B, T, In]),
    tf.tensor2d(random(2, In * G), [In, G]),
    tf.tensor2d(random(3, H * G), [H, G]),
    tf.tensor(
      random(
        4,
        biasShape(cell).reduce((a, b) => a * b, 1),
      ),
      biasShape(cell),
    ),
  ];
  const mask = Float32Array.from({ length: B * T }, (_, i) =>
    i % T < [4, 2, 3][Math.floor(i / T)]! ? 1 : 0,
  );
  let sequence: number[] = [];
  const grads = tf.grads((...t: tf.Tensor[]) => {
    const r = runCell(
      cell,
      t[0] as tf.Tensor3D,
      { kernel: t[1] as tf.Tensor2D, recurrentKernel: t[2] as tf.Tensor2D, bias: t[3]! },
      {},
      { mask },
    );
    sequence = Array.from(r.sequence.dataSync());
    return tf.add(tf.sum(tf.square(r.sequence)), tf.sum(r.h)) as tf.Scalar;
  })(inputs);
  const out = [sequence, ...grads.map((g) => Array.from(g.dataSync()))];
  tf.dispose([...grads, ...inputs]);
  return out;
}

const CELLS: CellConfig[] = [
  { kind: 'lstm', units: H },
  { kind: 'gru', units: H, resetAfter: true },
  { kind: 'gru', units: H, resetAfter: false },
  { kind: 'elman', units: H, activation: 'tanh' },
];

describe.each(CELLS.map((c) => [`${c.kind}${c.kind === 'gru' ? ` (reset after: ${c.resetAfter})` : ''}`, c]))(
  'wasm memory growing inside the time loop: %s',
  (_name, cell) => {
    it('gives exactly the outputs and gradients of a pass without growth (XNNPACK products)', () => {
      setOwnStepProduct(false);
      try {
        growingPass(cell as CellConfig);
      } finally {
        setOwnStepProduct(true);
      }
    });

    it('gives exactly the outputs and gradients of a pass without growth (the engine’s own products)', () => {
      expect(enableRelaxedSimd()).toBe(true); // Node 20 behind a flag, on by default in newer V8s
      const expected = pass(cell as CellConfig);
      // Here the products run in core/engine/wasm/gemm.ts: the memory grows after each of the first
      // four sigmoids instead, between products, so every product packs from and writes to fresh views.
      const wasm = activeWasm()!;
      let sigmoids = 0;
      let grown = 0;
      const product = vi.spyOn(wasm, 'batchMatMul');
      const sigmoid = wasm.sigmoid.bind(wasm);
      const growSigmoid = vi.spyOn(wasm, 'sigmoid').mockImplementation((x, out) => {
        sigmoid(x, out);
        if (sigmoids++ < 4) grown += growMemory();
      });
      try {
        const actual = pass(cell as CellConfig);
        expect(product).not.toHaveBeenCalled(); // no step product went through XNNPACK
        expect(grown).toBe(4);
        expect(actual).toEqual(expected);
      } finally {
        product.mockRestore();
        growSigmoid.mockRestore();
      }
    });
  },
);

function growingPass(cell: CellConfig): void {
  const expected = pass(cell as CellConfig);
  const wasm = activeWasm()!;
  // The first two recurrent products of the forward loop, the first two of the backward loop and the
  // first sigmoid grow the memory after they run (a kernel's own allocation would do so before writing
  // its output; views taken earlier go stale the same way).
  const forwardProducts = T * (cell.kind === 'gru' && cell.resetAfter === false ? 2 : 1);
  const growAt = new Set([0, 1, forwardProducts, forwardProducts + 1]);
  let products = 0;
  let sigmoids = 0;
  let grown = 0;
  const product = wasm.batchMatMul.bind(wasm);
  const sigmoid = wasm.sigmoid.bind(wasm);
  const growProduct = vi.spyOn(wasm, 'batchMatMul').mockImplementation((...args) => {
    product(...args);
    if (growAt.has(products++)) grown += growMemory();
  });
  const growSigmoid = vi.spyOn(wasm, 'sigmoid').mockImplementation((x, out) => {
    sigmoid(x, out);
    if (sigmoids++ === 0) grown += growMemory();
  });
  try {
    const actual = pass(cell as CellConfig);
    expect(products).toBe(2 * forwardProducts); // every step's products ran through the spy
    expect(grown).toBe(5); // four products and one sigmoid grew the memory
    expect(actual).toEqual(expected);
  } finally {
    growProduct.mockRestore();
    growSigmoid.mockRestore();
  }
}

// With a multiple of 4 units the GRU's and the LSTM's gate arithmetic runs in wasm
// (core/engine/wasm/gruSteps.ts, lstmSteps.ts) on a staging area, with no sigmoid calls: the memory grows
// inside the products instead.
const GATES_IN_WASM: CellConfig[] = [
  { kind: 'gru', units: 8, resetAfter: true },
  { kind: 'lstm', units: 8 },
];
describe.each(GATES_IN_WASM)(
  'wasm memory growing inside the time loop: $kind with its gates in wasm',
  (cell) => {
    it('gives exactly the outputs and gradients of a pass without growth (XNNPACK products)', () => {
      setOwnStepProduct(false);
      const wasm = activeWasm()!;
      const sigmoid = vi.spyOn(wasm, 'sigmoid');
      try {
        const expected = pass(cell);
        let products = 0;
        let grown = 0;
        const product = wasm.batchMatMul.bind(wasm);
        const growProduct = vi.spyOn(wasm, 'batchMatMul').mockImplementation((...args) => {
          product(...args);
          if ([0, T].includes(products++)) grown += growMemory();
        });
        try {
          const actual = pass(cell);
          expect(products).toBe(2 * T);
          expect(grown).toBe(2); // inside the forward loop and inside the backward loop
          expect(sigmoid).not.toHaveBeenCalled(); // the gates ran in the wasm kernels
          expect(actual).toEqual(expected);
        } finally {
          growProduct.mockRestore();
        }
      } finally {
        sigmoid.mockRestore();
        setOwnStepProduct(true);
      }
    });

    it('gives exactly the outputs and gradients of a pass without growth (the engine’s own products)', () => {
      expect(enableRelaxedSimd()).toBe(true);
      const expected = pass(cell);
      const kernel = ownProducts()!.kernel;
      const gemm = kernel.gemm;
      let calls = 0;
      let grown = 0;
      const growGemm = vi.spyOn(kernel, 'gemm').mockImplementation((...args) => {
        gemm(...args);
        if (calls++ < 2) grown += growMemory();
      });
      try {
        const actual = pass(cell);
        expect(grown).toBe(2);
        expect(actual).toEqual(expected);
      } finally {
        growGemm.mockRestore();
      }
    });
  },
);

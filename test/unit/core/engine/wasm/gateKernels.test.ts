// The GRU's and the LSTM's per-step wasm kernels against the same arithmetic in float64 here: forward
// (gates, the records the backward pass reads, new states), backward (gate gradients) and the GRU's state
// gradient, with padded rows, recurrent dropout, several hidden sizes, and pre-activations from tiny to
// far beyond where float32's exp() overflows, NaN included.
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmGruSteps, type GruSteps } from '../../../../../core/engine/wasm/gruSteps.js';
import { fitsGateKernels } from '../../../../../core/engine/wasm/gateLoops.js';
import { wasmLstmSteps, type LstmSteps } from '../../../../../core/engine/wasm/lstmSteps.js';

function random(seed: number, n: number, scale = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648 - 0.5) * 2 * scale;
  });
}

const memory = new WebAssembly.Memory({ initial: 16 });
let k: GruSteps;
let lstm: LstmSteps;

beforeAll(() => {
  k = wasmGruSteps(memory)!;
  lstm = wasmLstmSteps(memory)!;
  expect(k).not.toBeNull();
  expect(lstm).not.toBeNull();
});

/** Places arrays one after another in memory (from byte 64: address 0 means "none"); byte addresses. */
function place(...arrays: Float32Array[]): { at: number[]; read: (i: number) => Float32Array } {
  const heap = new Float32Array(memory.buffer);
  const at: number[] = [];
  let next = 16;
  for (const a of arrays) {
    heap.set(a, next);
    at.push(next * 4);
    next += a.length + 4;
  }
  return { at, read: (i) => heap.slice(at[i]! / 4, at[i]! / 4 + arrays[i]!.length) };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function expectClose(got: Float32Array, want: Float64Array | number[], what: string, tol = 2e-6): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const w = want[i]!;
    if (Number.isNaN(w)) expect(got[i], `${what}[${i}]`).toBeNaN();
    else
      expect(Math.abs(got[i]! - w), `${what}[${i}]: ${got[i]} vs ${w}`).toBeLessThanOrEqual(
        tol * (1 + Math.abs(w)),
      );
  }
}

const cases = [
  { rows: 1, H: 4 },
  { rows: 5, H: 8 },
  { rows: 32, H: 128 },
];

describe.each(cases)('GRU step kernels, $rows rows × $H units', ({ rows, H }) => {
  const G = 3 * H;
  const mask = Float32Array.from({ length: rows }, (_, b) => (b % 3 === 2 ? 0 : 1));
  const drop = Float32Array.from(random(7, rows * H), (v) => (v > 0 ? 2 : 0));

  it('forward: gates, hn and the new state as float64 computes them; padded rows keep h', () => {
    const hu = random(1, rows * G, 3);
    const xr = random(2, rows * G, 3);
    const bn = random(3, H);
    const h = random(4, rows * H);
    for (const masked of [false, true]) {
      const m = place(
        hu,
        xr,
        bn,
        h,
        new Float32Array(rows * G).fill(9),
        new Float32Array(rows * H).fill(9),
        mask,
      );
      k.forward(m.at[0]!, m.at[1]!, m.at[2]!, m.at[3]!, m.at[4]!, m.at[5]!, masked ? m.at[6]! : 0, rows, H);
      const gates = new Float64Array(rows * G);
      const hn = new Float64Array(rows * H);
      const hNew = Float64Array.from(h);
      for (let b = 0; b < rows; b++) {
        if (masked && mask[b] === 0) continue;
        for (let j = 0; j < H; j++) {
          const z = sigmoid(xr[b * G + j]! + hu[b * G + j]!);
          const r = sigmoid(xr[b * G + H + j]! + hu[b * G + H + j]!);
          const hnv = hu[b * G + 2 * H + j]! + bn[j]!;
          const n = Math.tanh(xr[b * G + 2 * H + j]! + r * hnv);
          [gates[b * G + j], gates[b * G + H + j], gates[b * G + 2 * H + j]] = [z, r, n];
          hn[b * H + j] = hnv;
          hNew[b * H + j] = z * h[b * H + j]! + (1 - z) * n;
        }
      }
      expectClose(m.read(4), gates, 'gates');
      expectClose(m.read(5), hn, 'hn');
      expectClose(m.read(3), hNew, 'h');
    }
  });

  it('backward and the state gradient as float64 computes them; padded rows get zeros and keep dh', () => {
    // Gates in (0,1) and (−1,1) as the forward makes them.
    const gates = Float32Array.from(random(5, rows * G), (v, i) =>
      i % G < 2 * H ? 0.5 + 0.49 * v : 0.99 * v,
    );
    const hn = random(6, rows * H, 2);
    const hp = random(8, rows * H);
    const dh = random(9, rows * H);
    const m = place(
      gates,
      hn,
      hp,
      dh,
      new Float32Array(rows * G).fill(9),
      new Float32Array(rows * G).fill(9),
      mask,
    );
    k.backward(m.at[0]!, m.at[1]!, m.at[2]!, m.at[3]!, m.at[4]!, m.at[5]!, m.at[6]!, rows, H);
    const dxp = new Float64Array(rows * G);
    const dhu = new Float64Array(rows * G);
    for (let b = 0; b < rows; b++) {
      if (mask[b] === 0) continue;
      for (let j = 0; j < H; j++) {
        const [z, r, n] = [gates[b * G + j]!, gates[b * G + H + j]!, gates[b * G + 2 * H + j]!];
        const d = dh[b * H + j]!;
        const dan = d * (1 - z) * (1 - n * n);
        const daz = d * (hp[b * H + j]! - n) * z * (1 - z);
        const dar = dan * hn[b * H + j]! * r * (1 - r);
        [dxp[b * G + j], dxp[b * G + H + j], dxp[b * G + 2 * H + j]] = [daz, dar, dan];
        [dhu[b * G + j], dhu[b * G + H + j], dhu[b * G + 2 * H + j]] = [daz, dar, dan * r];
      }
    }
    expectClose(m.read(4), dxp, 'dxp');
    expectClose(m.read(5), dhu, 'dhu');

    const dhU = random(10, rows * H);
    for (const dropped of [false, true]) {
      const p = place(Float32Array.from(dh), dhU, gates, drop, mask);
      k.passState(p.at[0]!, p.at[1]!, p.at[2]!, dropped ? p.at[3]! : 0, p.at[4]!, rows, H);
      const want = Float64Array.from(dh);
      for (let b = 0; b < rows; b++) {
        if (mask[b] === 0) continue;
        for (let j = 0; j < H; j++) {
          const i = b * H + j;
          want[i] = dh[i]! * gates[b * G + j]! + dhU[i]! * (dropped ? drop[i]! : 1);
        }
      }
      expectClose(p.read(0), want, dropped ? 'dh with dropout' : 'dh');
    }
  });
});

it('σ and tanh from tiny to overflowing pre-activations, and NaN passes through', () => {
  const H = 4;
  const pre = [0, 1e-6, -1e-6, 0.5, -0.5, 3, -3, 20, -20, 87, -87, 88, -88, 200, -200, NaN];
  const rows = pre.length / 4;
  const G = 3 * H;
  // z and r pre-activations from `pre`; candidate: xn = pre/2 with r·hn = 0 (hu's candidate third 0, bn 0).
  const xr = new Float32Array(rows * G);
  for (let b = 0; b < rows; b++)
    for (let j = 0; j < H; j++) {
      const x = pre[b * H + j]!;
      xr[b * G + j] = x;
      xr[b * G + H + j] = -x;
      xr[b * G + 2 * H + j] = x / 2;
    }
  const m = place(
    new Float32Array(rows * G),
    xr,
    new Float32Array(H),
    new Float32Array(rows * H),
    new Float32Array(rows * G),
    new Float32Array(rows * H),
  );
  k.forward(m.at[0]!, m.at[1]!, m.at[2]!, m.at[3]!, m.at[4]!, m.at[5]!, 0, rows, H);
  const gates = m.read(4);
  const want: number[] = [];
  for (let b = 0; b < rows; b++) {
    const xs = pre.slice(b * H, b * H + H);
    want.push(...xs.map(sigmoid), ...xs.map((x) => sigmoid(-x)), ...xs.map((x) => Math.tanh(x / 2)));
  }
  // tanh through 2σ(2a) − 1 has an absolute error of a float32 ulp of 1 near 0.
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (Number.isNaN(w)) expect(gates[i]).toBeNaN();
    else
      expect(Math.abs(gates[i]! - w), `${i}: ${gates[i]} vs ${w}`).toBeLessThanOrEqual(
        2e-7 + 1e-6 * Math.abs(w),
      );
  }
  expect(fitsGateKernels(128)).toBe(true);
  expect(fitsGateKernels(6)).toBe(false);
});

describe.each(cases)('LSTM step kernels, $rows rows × $H units', ({ rows, H }) => {
  const G = 4 * H;
  const mask = Float32Array.from({ length: rows }, (_, b) => (b % 3 === 1 ? 0 : 1));

  it('forward: gates, c_{t-1}, tanh(c_t) and new states as in float64; padded rows keep h and c', () => {
    const hu = random(11, rows * G, 3);
    const xr = random(12, rows * G, 3);
    const h = random(13, rows * H);
    const c = random(14, rows * H, 2);
    for (const masked of [false, true]) {
      const nines = (n: number) => new Float32Array(n).fill(9);
      const m = place(hu, xr, h, c, nines(rows * G), nines(rows * H), nines(rows * H), mask);
      const at = m.at;
      lstm.forward(at[0]!, at[1]!, at[2]!, at[3]!, at[4]!, at[5]!, at[6]!, masked ? at[7]! : 0, rows, H);
      const gates = new Float64Array(rows * G);
      const cPrev = new Float64Array(rows * H);
      const tanhC = new Float64Array(rows * H);
      const hNew = Float64Array.from(h);
      const cNew = Float64Array.from(c);
      for (let b = 0; b < rows; b++) {
        if (masked && mask[b] === 0) continue;
        for (let j = 0; j < H; j++) {
          const pre = (q: number) => xr[b * G + q * H + j]! + hu[b * G + q * H + j]!;
          const [i, f, g, o] = [sigmoid(pre(0)), sigmoid(pre(1)), Math.tanh(pre(2)), sigmoid(pre(3))];
          [gates[b * G + j], gates[b * G + H + j], gates[b * G + 2 * H + j], gates[b * G + 3 * H + j]] = [
            i,
            f,
            g,
            o,
          ];
          const s = b * H + j;
          cPrev[s] = c[s]!;
          cNew[s] = f * c[s]! + i * g;
          tanhC[s] = Math.tanh(cNew[s]!);
          hNew[s] = o * tanhC[s]!;
        }
      }
      expectClose(m.read(4), gates, 'gates');
      expectClose(m.read(5), cPrev, 'c_{t-1}');
      expectClose(m.read(6), tanhC, 'tanh(c_t)');
      expectClose(m.read(2), hNew, 'h');
      expectClose(m.read(3), cNew, 'c');
    }
  });

  it('backward: gate gradients and ∂loss/∂c_{t-1} as in float64; padded rows get zeros and keep dc', () => {
    const gates = Float32Array.from(random(15, rows * G), (v, i) =>
      i % G >= 2 * H && i % G < 3 * H ? 0.99 * v : 0.5 + 0.49 * v,
    );
    const tanhC = random(16, rows * H, 0.99);
    const cPrev = random(17, rows * H, 2);
    const dh = random(18, rows * H);
    const dc = random(19, rows * H);
    const m = place(gates, tanhC, cPrev, dh, Float32Array.from(dc), new Float32Array(rows * G).fill(9), mask);
    lstm.backward(m.at[0]!, m.at[1]!, m.at[2]!, m.at[3]!, m.at[4]!, m.at[5]!, m.at[6]!, rows, H);
    const dg = new Float64Array(rows * G);
    const dcNew = Float64Array.from(dc);
    for (let b = 0; b < rows; b++) {
      if (mask[b] === 0) continue;
      for (let j = 0; j < H; j++) {
        const [i, f, g, o] = [0, 1, 2, 3].map((q) => gates[b * G + q * H + j]!) as [
          number,
          number,
          number,
          number,
        ];
        const s = b * H + j;
        const tc = tanhC[s]!;
        const dcj = dc[s]! + dh[s]! * o * (1 - tc * tc);
        dg[b * G + j] = dcj * g * i * (1 - i);
        dg[b * G + H + j] = dcj * cPrev[s]! * f * (1 - f);
        dg[b * G + 2 * H + j] = dcj * i * (1 - g * g);
        dg[b * G + 3 * H + j] = dh[s]! * tc * o * (1 - o);
        dcNew[s] = dcj * f;
      }
    }
    expectClose(m.read(5), dg, 'dg');
    expectClose(m.read(4), dcNew, 'dc');
  });
});

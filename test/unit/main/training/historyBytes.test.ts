import { describe, expect, it } from 'vitest';
import { HistoryBytes } from '../../../../main/training/runRecord.js';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('run history bytes', () => {
  it('holds every line, newline-terminated, as the NDJSON the project stores', () => {
    const history = new HistoryBytes();
    expect(decode(history.bytes())).toBe('');
    history.append('{"type":"run-start"}');
    history.append('{"type":"batch","note":"é ✓ 𝄞"}'); // 2-, 3- and 4-byte UTF-8
    expect(decode(history.bytes())).toBe('{"type":"run-start"}\n{"type":"batch","note":"é ✓ 𝄞"}\n');
  });

  it('a view handed out before more lines (and buffer growth) still reads what it read then', () => {
    const history = new HistoryBytes();
    history.append('first');
    const early = history.bytes();
    const big = 'x'.repeat(200_000); // forces the 64 KiB buffer to grow
    for (let i = 0; i < 5; i++) history.append(big);
    expect(decode(early)).toBe('first\n');
    const all = decode(history.bytes()).split('\n');
    expect(all).toHaveLength(7);
    expect(all[0]).toBe('first');
    expect(all[5]).toBe(big);
    expect(all[6]).toBe('');
  });

  it('appending costs time in the new line only, not in the history so far', () => {
    const history = new HistoryBytes();
    const line = JSON.stringify({ type: 'probe', values: Array.from({ length: 200 }, (_, i) => i / 7) });
    const time = (n: number) => {
      const t = performance.now();
      for (let i = 0; i < n; i++) {
        history.append(line);
        history.bytes();
      }
      return performance.now() - t;
    };
    time(200); // warm up
    const first = time(500);
    const later = time(500); // the history is now ~3x longer
    // Re-encoding everything each time would make `later` about 2x `first`; generous bound for noisy CI.
    expect(later).toBeLessThan(first * 1.8 + 20);
  });
});

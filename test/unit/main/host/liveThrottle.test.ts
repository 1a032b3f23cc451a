// The live stream to the UI thins out per-batch events of fast runs but never loses an epoch boundary,
// the batch just before it, or any other kind of event.
import { describe, expect, it } from 'vitest';
import { throttleBatches, type Tagged } from '../../../../main/host/liveThrottle.js';

describe('throttleBatches', () => {
  it('passes one batch per interval, the last batch before an epoch, and every other event', () => {
    let clock = 0;
    const sent: string[] = [];
    const push = throttleBatches<Tagged & { label: string }>(
      (item) => sent.push(item.label),
      50,
      () => clock,
    );
    const batch = (label: string, runId = 'r1') => push({ runId, event: { type: 'batch' }, label });
    batch('b1');
    clock = 10;
    batch('b2');
    clock = 20;
    batch('b3');
    clock = 60;
    batch('b4');
    clock = 70;
    batch('b5');
    push({ runId: 'r1', event: { type: 'epoch' }, label: 'epoch1' });
    batch('other-run', 'r2');
    push({ runId: 'r1', event: { type: 'run-end' }, label: 'end' });
    expect(sent).toEqual(['b1', 'b4', 'b5', 'epoch1', 'other-run', 'end']);
  });
});

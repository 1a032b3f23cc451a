// The pick a watch view keeps (block, gate, weight tensor): it follows the canvas selection when the list
// has that block, stays put while still listed, and falls back to the preferred or first entry.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick, ref } from 'vue';
import { useUiStore } from '../../../../../renderer/src/stores/uiStore.js';
import { useCanvasBlock, useListChoice } from '../../../../../renderer/src/views/training/blockChoice.js';

describe('watch view choices', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('a list choice starts on the preferred entry, stays while listed, and moves when it goes', async () => {
    const gates = ref(['input', 'forget', 'cell', 'output']);
    const gate = useListChoice(gates, 'forget');
    expect(gate.value).toBe('forget');
    gate.value = 'cell';
    gates.value = ['input', 'forget', 'cell'];
    await nextTick();
    expect(gate.value).toBe('cell');
    gates.value = ['update', 'reset'];
    await nextTick();
    expect(gate.value).toBe('update');
    gates.value = [];
    await nextTick();
    expect(gate.value).toBe('');
  });

  it('a block follows the canvas selection when listed, and ignores one it does not list', async () => {
    const ui = useUiStore();
    const blocks = ref(['lstm', 'gru']);
    const block = useCanvasBlock(blocks);
    expect(block.value).toBe('lstm');
    ui.select(['gru']);
    await nextTick();
    expect(block.value).toBe('gru');
    ui.select(['head']);
    await nextTick();
    expect(block.value).toBe('gru');
    blocks.value = ['lstm'];
    await nextTick();
    expect(block.value).toBe('lstm');
  });
});

// What a watch view shows when it offers a list to pick from (a block, a gate, a weight tensor): the choice
// stays while it is listed, so a new epoch or run does not reset what the user picked.
import { ref, watch, type Ref } from 'vue';
import { useUiStore } from '../../stores/uiStore.js';

/** A pick among `list`: kept while listed, else `preferred` when listed, else the first ('' for none). */
export function useListChoice(list: Readonly<Ref<string[]>>, preferred?: string): Ref<string> {
  const choice = ref('');
  watch(
    list,
    (names) => {
      if (names.includes(choice.value)) return;
      choice.value = preferred !== undefined && names.includes(preferred) ? preferred : (names[0] ?? '');
    },
    { immediate: true },
  );
  return choice;
}

/** A block among `list` that follows the canvas: selecting a listed block there shows it here. */
export function useCanvasBlock(list: Readonly<Ref<string[]>>): Ref<string> {
  const ui = useUiStore();
  const block = ref('');
  watch(
    [list, () => ui.selectedNodes[0]],
    ([names, selected]) => {
      if (selected && names.includes(selected)) block.value = selected;
      else if (!names.includes(block.value)) block.value = names[0] ?? '';
    },
    { immediate: true },
  );
  return block;
}

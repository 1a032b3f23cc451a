// Shared by the playground boxes: one host call at a time, its error shown in the user's words.
import { ref } from 'vue';

export function usePlaygroundCall<T>() {
  const busy = ref(false);
  const error = ref('');
  const result = ref<T | null>(null) as { value: T | null };
  async function run(call: () => Promise<T>): Promise<void> {
    busy.value = true;
    error.value = '';
    try {
      result.value = await call();
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e);
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, result, run };
}

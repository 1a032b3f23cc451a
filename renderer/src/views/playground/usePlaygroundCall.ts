// Shared by the playground boxes: one host call at a time, its error shown in the user's words; and the
// boxes that send the typed text to the trained model (classify, tag, translate) read its answer their way.
import { ref } from 'vue';
import type { PredictResult } from '../../../../core/api/playground.js';
import { host } from '../../host/index.js';

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

/** The typed `text`, and `predict()`: the model's answer for it, read by `read` into `result`. */
export function usePrediction<T>(props: { projectId: string }, read: (answer: PredictResult) => T) {
  const text = ref('');
  const { busy, error, result, run } = usePlaygroundCall<T>();
  function predict(): Promise<void> {
    const input = text.value;
    return run(async () =>
      read(await host.call('playground.predict', { projectId: props.projectId, input })),
    );
  }
  return { text, busy, error, result, predict };
}

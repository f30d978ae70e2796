import { ref } from 'vue';
import { errorText } from './i18n.ts';

/**
 * A form's request state: `busy` while its request runs (buttons disable), `error` with the
 * server's message in the current language when it fails. `run` clears the error, runs `work`
 * and says whether it succeeded.
 */
export function useBusy() {
  const busy = ref(false);
  const error = ref('');
  async function run(work: () => Promise<void>): Promise<boolean> {
    busy.value = true;
    error.value = '';
    try {
      await work();
      return true;
    } catch (e) {
      error.value = errorText(e);
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}

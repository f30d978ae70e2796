/** The page's view of the login: the user (null when signed out) and logout. */
import { onBeforeUnmount, onMounted, ref } from 'vue';
import { api, onUnauthenticated } from './api.ts';
import { clearSession, getToken, getUser } from './session.ts';
import type { UserView } from './types.ts';

export function useSession() {
  const user = ref<UserView | null>(getToken() ? getUser() : null);
  let off: (() => void) | null = null;
  onMounted(() => {
    off = onUnauthenticated(() => {
      user.value = null;
    });
  });
  onBeforeUnmount(() => off?.());

  async function logout() {
    try {
      await api.post('/api/auth/logout');
    } catch {
      /* the session may be gone already */
    }
    clearSession();
    user.value = null;
  }
  return { user, logout };
}

/** Reactive online/offline flag of the browser. */
export function useOnline() {
  const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
  const up = () => (online.value = true);
  const down = () => (online.value = false);
  onMounted(() => {
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
  });
  onBeforeUnmount(() => {
    window.removeEventListener('online', up);
    window.removeEventListener('offline', down);
  });
  return online;
}

/** The `#/path` part of the URL as a reactive route (pages keep their own small hash routes). */
export function useHashRoute() {
  const route = ref(parse());
  function parse(): string[] {
    return location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  }
  const sync = () => (route.value = parse());
  onMounted(() => window.addEventListener('hashchange', sync));
  onBeforeUnmount(() => window.removeEventListener('hashchange', sync));
  function go(...parts: string[]) {
    location.hash = '#/' + parts.map(encodeURIComponent).join('/');
  }
  return { route, go };
}

/** The signed-in user, kept in localStorage so every page of the origin shares one login. */
import type { UserView } from './types.ts';

const TOKEN_KEY = 'gridloop.token';
const USER_KEY = 'gridloop.user';

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function getUser(): UserView | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as UserView) : null;
  } catch {
    return null;
  }
}

export function setSession(token: string, user: UserView): void {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(USER_KEY, JSON.stringify(user));
}

export function clearSession(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
}

/** Where a role works: the page the login sends it to. */
export function homeOf(role: string): string {
  switch (role) {
    case 'citizen': return '/m/citizen/';
    case 'grid_worker':
    case 'grid_leader':
    case 'grid_assistant':
    case 'micro_grid_leader':
    case 'volunteer':
      return '/m/worker/';
    case 'dispatcher': return '/console/dispatch/';
    case 'department_staff':
    case 'department_head':
      return '/console/department/';
    case 'admin': return '/admin/';
    default: return '/screen/';
  }
}

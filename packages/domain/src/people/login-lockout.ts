/**
 * Login failure handling 登录失败处理 (GB/T 22239 等保 2.0 asks for it): after `maxFailures` wrong
 * passwords for one username within `windowMs`, the username is locked for `lockMs` — further
 * attempts are refused without checking the password, the right one included. A successful login
 * clears the count. Unknown usernames are counted the same way, so a lock says nothing about
 * whether an account exists. Pure: the caller stores the state and passes the time.
 */
import { fail, type Result } from '../result.ts';

export interface LockoutPolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

/** What is remembered per username between attempts (ISO instants). */
export interface LoginFailures {
  failures: number;
  firstFailedAt: string;
  lockedUntil: string | null;
}

/** The refusal of an attempt at `now` while the username is locked (saying until when); null when not locked. */
export function loginLock(state: LoginFailures | null, now: Date): Result<never> | null {
  if (!state?.lockedUntil || Date.parse(state.lockedUntil) <= now.getTime()) return null;
  const seconds = Math.ceil((Date.parse(state.lockedUntil) - now.getTime()) / 1000);
  const minutes = Math.ceil(seconds / 60);
  return fail(
    'login_locked',
    `Too many failed logins: try again in ${minutes} min`,
    `登录失败次数过多，账号已临时锁定，请 ${minutes} 分钟后再试`,
    { retryAfterSeconds: seconds, lockedUntil: state.lockedUntil },
  );
}

/** The state after one more wrong password at `now`. */
export function afterLoginFailure(state: LoginFailures | null, now: Date, policy: LockoutPolicy = DEFAULT_LOCKOUT): LoginFailures {
  const t = now.getTime();
  const fresh = !state || t - Date.parse(state.firstFailedAt) > policy.windowMs || (state.lockedUntil !== null && Date.parse(state.lockedUntil) <= t);
  const failures = fresh ? 1 : state.failures + 1;
  const firstFailedAt = fresh ? now.toISOString() : state.firstFailedAt;
  return { failures, firstFailedAt, lockedUntil: failures >= policy.maxFailures ? new Date(t + policy.lockMs).toISOString() : null };
}

import { describe, expect, it } from 'vitest';
import { afterLoginFailure, DEFAULT_LOCKOUT, loginLock, type LoginFailures } from '../../src/people/login-lockout.ts';

const at = (min: number) => new Date(Date.parse('2026-03-02T08:00:00.000Z') + min * 60_000);

describe('login failure handling 登录失败处理', () => {
  it('locks after 5 failures within 15 minutes, for 15 minutes', () => {
    let s: LoginFailures | null = null;
    for (let i = 0; i < 4; i++) {
      s = afterLoginFailure(s, at(i));
      expect(s.lockedUntil).toBeNull();
      expect(loginLock(s, at(i))).toBeNull();
    }
    s = afterLoginFailure(s, at(4));
    expect(s).toEqual({ failures: 5, firstFailedAt: at(0).toISOString(), lockedUntil: at(19).toISOString() });
    const refused = loginLock(s, at(10));
    expect(refused?.ok).toBe(false);
    if (refused && !refused.ok) {
      expect(refused.error).toMatchObject({ code: 'login_locked', details: { retryAfterSeconds: 540, lockedUntil: at(19).toISOString() } });
      expect(refused.error.message_zh).toContain('9 分钟');
    }
    expect(loginLock(s, at(19))).toBeNull();
  });

  it('starts counting again once the window has passed or a lock has run out', () => {
    let s = afterLoginFailure(null, at(0));
    for (let i = 1; i < 4; i++) s = afterLoginFailure(s, at(i));
    expect(afterLoginFailure(s, at(16))).toEqual({ failures: 1, firstFailedAt: at(16).toISOString(), lockedUntil: null });
    const locked = afterLoginFailure(s, at(5));
    expect(locked.lockedUntil).not.toBeNull();
    expect(afterLoginFailure(locked, at(21))).toMatchObject({ failures: 1, lockedUntil: null });
  });

  it('follows the policy given', () => {
    const s = afterLoginFailure(afterLoginFailure(null, at(0), { ...DEFAULT_LOCKOUT, maxFailures: 2, lockMs: 60_000 }), at(0), { ...DEFAULT_LOCKOUT, maxFailures: 2, lockMs: 60_000 });
    expect(s.lockedUntil).toBe(at(1).toISOString());
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { type Actor, type Clock, type LockoutPolicy, type Result, DEFAULT_LOCKOUT, afterLoginFailure, fail, loginLock, ok, systemClock } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { dummyHash, verifyPassword } from './password.ts';
import {
  clearLoginFailures, deleteExpiredSessions, deleteSession, findLiveSession, findLoginFailures, findUserByUsername, insertSession, saveLoginFailures,
} from './user.repository.ts';
import { type User, actorOf, normalizeUsername, userFromRow } from './user.service.ts';

/** Sessions 会话: opaque bearer tokens; the database keeps only their SHA-256. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface Session {
  user: User;
  actor: Actor;
  expiresAt: string;
}

export interface LoginResult extends Session {
  token: string;
}

export interface SessionStoreOptions {
  /** How long a resolved token is trusted without asking the database (default 10 s). */
  cacheMs?: number;
  maxCached?: number;
  /** Failed-login lockout 登录失败处理 (default: 5 failures in 15 min lock the username for 15 min). */
  lockout?: LockoutPolicy;
}

/**
 * Login, logout and token resolution. Resolution is one indexed lookup (sessions ⋈ users); results
 * are cached briefly, and the cache is dropped on logout and whenever an account changes
 * (forgetUser). Other processes sharing the database see a logout within `cacheMs`.
 */
export class SessionStore {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #cacheMs: number;
  readonly #maxCached: number;
  readonly #lockout: LockoutPolicy;
  readonly #cache = new Map<string, { session: Session; until: number; expiresAtMs: number }>();

  constructor(database: Database, clock: Clock = systemClock, opts: SessionStoreOptions = {}) {
    this.#database = database;
    this.#clock = clock;
    this.#cacheMs = opts.cacheMs ?? 10_000;
    this.#maxCached = opts.maxCached ?? 10_000;
    this.#lockout = opts.lockout ?? DEFAULT_LOCKOUT;
    // Computed now so that the first failed login is not slower than the others.
    void dummyHash();
  }

  /**
   * Unknown user, wrong password and disabled account all fail the same way, in the same time, and
   * count towards the username's lockout; a locked username is refused before any password check.
   */
  async login(username: string, password: string): Promise<Result<LoginResult>> {
    const name = normalizeUsername(username);
    const db = this.#database.db;
    const locked = loginLock(await findLoginFailures(db, name), this.#clock.now());
    if (locked) return locked;
    const row = await findUserByUsername(db, name);
    const matches = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
    if (!row || !matches || Number(row.disabled) === 1) {
      const next = await this.#database.write(async (trx) => {
        const state = afterLoginFailure(await findLoginFailures(trx, name, { lock: this.#database.dialect }), this.#clock.now(), this.#lockout);
        await saveLoginFailures(trx, name, state);
        return state;
      });
      // The attempt that reaches the limit is told so (the next ones are refused up front).
      return loginLock(next, this.#clock.now()) ?? fail('invalid_credentials', 'Wrong username or password', '用户名或密码错误');
    }
    const token = randomBytes(32).toString('base64url');
    const now = this.#clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    await this.#database.write(async (trx) => {
      await clearLoginFailures(trx, name);
      await deleteExpiredSessions(trx, now.toISOString(), row.id);
      await insertSession(trx, { token_hash: hashToken(token), user_id: row.id, created_at: now.toISOString(), expires_at: expiresAt });
    });
    const user = userFromRow(row);
    return ok({ token, user, actor: actorOf(user), expiresAt });
  }

  /** Ends the session of `token`; false when there was none. */
  async logout(token: string): Promise<boolean> {
    this.#cache.delete(token);
    return this.#database.write((trx) => deleteSession(trx, hashToken(token)));
  }

  /** The live session of a bearer token, or null (unknown, expired, malformed, disabled account). */
  async resolve(token: string): Promise<Session | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const now = this.#clock.now();
    // Keyed by the token itself: a cached request costs one map lookup, no SHA-256. (The token is
    // in this process's memory for the request anyway; the database only ever holds its hash.)
    const cached = this.#cache.get(token);
    if (cached) {
      if (cached.until > now.getTime() && cached.expiresAtMs > now.getTime()) return cached.session;
      this.#cache.delete(token);
    }
    const found = await findLiveSession(this.#database.db, hashToken(token), now.toISOString());
    if (!found) return null;
    const user = userFromRow(found.user);
    const session: Session = { user, actor: actorOf(user), expiresAt: found.session.expires_at };
    if (this.#cacheMs > 0) {
      if (this.#cache.size >= this.#maxCached) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(token, { session, until: now.getTime() + this.#cacheMs, expiresAtMs: Date.parse(session.expiresAt) });
    }
    return session;
  }

  /** Drops cached sessions of a user whose account changed (role, scope, disabled, password). */
  forgetUser(userId: string): void {
    for (const [key, entry] of this.#cache) if (entry.session.user.id === userId) this.#cache.delete(key);
  }

  /** Removes expired sessions; returns how many. */
  async sweepExpired(): Promise<number> {
    const now = this.#clock.now().toISOString();
    return this.#database.write((trx) => deleteExpiredSessions(trx, now));
  }
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Actor, type PolicyAction, type PolicySubject, can } from '@gridloop/domain';
import type { Session, SessionStore } from '../modules/people/session.service.ts';
import { httpError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; null for anonymous requests and bad or expired tokens. */
    actor: Actor | null;
    /** The resolved session behind `actor` (user, expiry); null when anonymous. */
    session: Session | null;
    /** The bearer token as sent, for logout; null when absent. */
    bearerToken: string | null;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerTokenOf(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S{1,512})[ \t]*$/i.exec(header);
  return match ? match[1] : null;
}

/**
 * Resolves the bearer token of every request to `request.actor` (one indexed lookup, briefly
 * cached). Requests without a valid token carry `actor = null`; routes decide with requireActor.
 * Installed on the root instance so every route plugin sees the decoration.
 */
export function installAuth(app: FastifyInstance, sessions: SessionStore): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('bearerToken', null);
  app.addHook('onRequest', async (request) => {
    const token = bearerTokenOf(request.headers.authorization);
    if (!token) return;
    request.bearerToken = token;
    const session = await sessions.resolve(token);
    if (session) {
      request.session = session;
      request.actor = session.actor;
    }
  });
}

/** The caller, or 401 `unauthenticated`. */
export function requireActor(request: FastifyRequest): Actor {
  if (request.actor) return request.actor;
  const message = request.bearerToken ? 'The token is invalid or has expired: log in again' : 'Log in first: send Authorization: Bearer <token>';
  const message_zh = request.bearerToken ? '登录凭证无效或已过期，请重新登录' : '请先登录（请求头 Authorization: Bearer <token>）';
  throw httpError(401, 'unauthenticated', message, message_zh);
}

/** 403 `forbidden` unless the policy table lets `actor` do `action` (on `subject`). */
export function authorize(actor: Actor, action: PolicyAction, subject?: PolicySubject): void {
  if (!can(actor, action, subject)) {
    throw httpError(403, 'forbidden', `Not allowed: ${action}`, `无权执行此操作：${action}`, { action });
  }
}

import { Type } from 'typebox';
import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { ErrorBody, httpError, unwrap } from '../../http/errors.ts';
import { bearerSecurity } from '../../http/schemas.ts';
import { LoginRequest, LoginResponse, MeResponse, presentUser } from './user.schemas.ts';
import { profileOf } from './user.service.ts';

/** POST /auth/login, POST /auth/logout, GET /auth/me. */
export const authRoutes: RoutePlugin = async (app, { ctx }) => {
  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; returns a bearer token valid 12 hours. 5 wrong passwords in 15 minutes lock the username for 15 minutes (429 login_locked, Retry-After)',
        body: LoginRequest,
        response: { 200: LoginResponse, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await ctx.sessions.login(request.body.username, request.body.password);
      if (!result.ok && result.error.code === 'login_locked') void reply.header('retry-after', String(result.error.details?.retryAfterSeconds ?? 60));
      const { token, user, expiresAt } = unwrap(result);
      return { token, expires_at: expiresAt, user: presentUser(user) };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the current session',
        security: bearerSecurity,
        response: { 204: Type.Null(), 401: ErrorBody },
      },
    },
    async (request, reply) => {
      requireActor(request);
      if (!request.bearerToken || !(await ctx.sessions.logout(request.bearerToken))) {
        throw httpError(401, 'unauthenticated', 'The session has already ended', '会话已结束');
      }
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, its scope, department and abilities',
        security: bearerSecurity,
        response: { 200: MeResponse, 401: ErrorBody },
      },
    },
    async (request) => {
      requireActor(request);
      const session = request.session!;
      const profile = await profileOf(ctx.database, session.user);
      return {
        user: presentUser(profile.user),
        scope: profile.scope,
        department: profile.department,
        abilities: profile.abilities,
        session_expires_at: session.expiresAt,
      };
    },
  );
};

import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { ErrorBody, errorResponses, unwrap } from '../../http/errors.ts';
import { DEFAULT_LIMIT, IdParams, Page, bearerSecurity } from '../../http/schemas.ts';
import { CreateUserRequest, UpdateUserRequest, UserBody, UserListQuery, presentUser } from './user.schemas.ts';
import { createUserAs, getUserAs, listUsersAs, updateUserAs } from './user.service.ts';

/** Accounts 用户管理: GET/POST /users, GET/PATCH /users/:id. Writes are for admins. */
export const userRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List accounts (admins: all; dispatchers, leaders, supervisors: under their scope)',
        security: bearerSecurity,
        querystring: UserListQuery,
        response: { 200: Page(UserBody), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const q = request.query;
      const limit = q.limit ?? DEFAULT_LIMIT;
      const offset = q.offset ?? 0;
      const page = unwrap(
        await listUsersAs(ctx.database, actor, {
          role: q.role,
          departmentId: q.department_id,
          under: q.under,
          q: q.q,
          includeDisabled: q.include_disabled,
          limit,
          offset,
        }),
      );
      return { items: page.items.map(presentUser), total: page.total, limit, offset };
    },
  );

  app.get(
    '/users/:id',
    {
      schema: { tags: ['users'], summary: 'One account', security: bearerSecurity, params: IdParams, response: { 200: UserBody, ...errorResponses } },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentUser(unwrap(await getUserAs(ctx.database, actor, request.params.id)));
    },
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create an account (admin). Territory roles need scope_code, department roles department_id',
        security: bearerSecurity,
        body: CreateUserRequest,
        response: { 201: UserBody, ...errorResponses, 413: ErrorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const b = request.body;
      const user = unwrap(
        await createUserAs(
          ctx.database,
          actor,
          { username: b.username, displayName: b.display_name, role: b.role, password: b.password, scopeCode: b.scope_code, departmentId: b.department_id, phone: b.phone },
          ctx.clock,
        ),
      );
      return reply.code(201).send(presentUser(user));
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change an account (admin): name, role and scope, phone, password, disabled',
        security: bearerSecurity,
        params: IdParams,
        body: UpdateUserRequest,
        response: { 200: UserBody, ...errorResponses, 413: ErrorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const b = request.body;
      const user = unwrap(
        await updateUserAs(ctx.database, actor, request.params.id, {
          displayName: b.display_name,
          role: b.role,
          password: b.password,
          scopeCode: b.scope_code,
          departmentId: b.department_id,
          phone: b.phone,
          disabled: b.disabled,
        }),
      );
      ctx.sessions.forgetUser(user.id);
      return presentUser(user);
    },
  );
};

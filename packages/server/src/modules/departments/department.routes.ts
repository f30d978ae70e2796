import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { ErrorBody, errorResponses, unwrap } from '../../http/errors.ts';
import { DEFAULT_LIMIT, IdParams, Page, bearerSecurity } from '../../http/schemas.ts';
import { CreateDepartmentRequest, DepartmentBody, DepartmentListQuery, UpdateDepartmentRequest, presentDepartment } from './department.schemas.ts';
import { createDepartmentAs, getDepartmentAs, listDepartmentsAs, updateDepartmentAs } from './department.service.ts';

/** Responsible units 责任单位: staff read, admins write. */
export const departmentRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/departments',
    {
      schema: {
        tags: ['departments'],
        summary: 'List departments (staff), optionally under a region, by kind or level',
        security: bearerSecurity,
        querystring: DepartmentListQuery,
        response: { 200: Page(DepartmentBody), ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const q = request.query;
      const limit = q.limit ?? DEFAULT_LIMIT;
      const offset = q.offset ?? 0;
      const page = unwrap(await listDepartmentsAs(ctx.database, actor, { under: q.under, kind: q.kind, level: q.level, limit, offset }));
      return { items: page.items.map(presentDepartment), total: page.total, limit, offset };
    },
  );

  app.get(
    '/departments/:id',
    {
      schema: { tags: ['departments'], summary: 'One department', security: bearerSecurity, params: IdParams, response: { 200: DepartmentBody, ...errorResponses } },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentDepartment(unwrap(await getDepartmentAs(ctx.database, actor, request.params.id)));
    },
  );

  app.post(
    '/departments',
    {
      schema: {
        tags: ['departments'],
        summary: 'Create a department (admin); a county-level one sits on a county region, a city-level one on a city',
        security: bearerSecurity,
        body: CreateDepartmentRequest,
        response: { 201: DepartmentBody, ...errorResponses, 413: ErrorBody },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const b = request.body;
      const dept = unwrap(
        await createDepartmentAs(ctx.database, actor, { id: b.id, name: b.name, nameEn: b.name_en, kind: b.kind, level: b.level, regionCode: b.region_code }, ctx.clock),
      );
      return reply.code(201).send(presentDepartment(dept));
    },
  );

  app.patch(
    '/departments/:id',
    {
      schema: {
        tags: ['departments'],
        summary: 'Change a department (admin)',
        security: bearerSecurity,
        params: IdParams,
        body: UpdateDepartmentRequest,
        response: { 200: DepartmentBody, ...errorResponses, 413: ErrorBody },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const b = request.body;
      const dept = unwrap(
        await updateDepartmentAs(ctx.database, actor, request.params.id, { name: b.name, nameEn: b.name_en, kind: b.kind, level: b.level, regionCode: b.region_code }),
      );
      return presentDepartment(dept);
    },
  );
};

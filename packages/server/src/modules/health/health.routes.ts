import { Type } from 'typebox';
import type { RoutePlugin } from '../../http/context.ts';
import { ErrorBody, httpError } from '../../http/errors.ts';
import { VERSION, databaseAnswers } from './health.service.ts';

const HealthBody = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Enum(['sqlite', 'postgres']),
  version: Type.String(),
});

/** GET /health: 200 when the database answers, 503 `database_unavailable` otherwise. No login needed. */
export const healthRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/health',
    { schema: { tags: ['health'], summary: 'Liveness and database check', response: { 200: HealthBody, 503: ErrorBody } } },
    async () => {
      if (!(await databaseAnswers(ctx.database))) {
        throw httpError(503, 'database_unavailable', `The ${ctx.database.dialect} database does not answer`, '数据库无响应');
      }
      return { status: 'ok' as const, database: ctx.database.dialect, version: VERSION };
    },
  );
};

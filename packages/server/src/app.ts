/**
 * The composition root of the HTTP server: one Fastify instance with validation, error bodies,
 * OpenAPI, authentication and every module's routes under /api.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { type TypeBoxTypeProvider, registerAjvFormats } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type Clock, systemClock } from '@gridloop/domain';
import type { Database } from './adapters/db/database.ts';
import type { Config } from './config.ts';
import { type EventBus, createEventBus } from './events/event-bus.ts';
import { installAuth } from './http/auth.ts';
import type { AppContext, RoutePlugin } from './http/context.ts';
import { frameworkErrors, installErrorHandling } from './http/errors.ts';
import { validatorCompiler } from './http/validator.ts';
import { departmentRoutes } from './modules/departments/department.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { VERSION } from './modules/health/health.service.ts';
import { authRoutes } from './modules/people/auth.routes.ts';
import { SessionStore } from './modules/people/session.service.ts';
import { userRoutes } from './modules/people/user.routes.ts';
import { caseRoutes } from './modules/cases/case.routes.ts';
import { territoryRoutes } from './modules/territory/territory.routes.ts';
import { attachmentRoutes } from './modules/files/attachment.routes.ts';
import { EMPTY_GEO_INDEX, GeoIndexHolder } from './adapters/geo/geo-index-holder.ts';
import { dispatchRoutes } from './modules/dispatch/dispatch.routes.ts';
import { type DeadlineOptions, installDeadlines } from './modules/deadlines/deadline.install.ts';
import { deadlineRoutes } from './modules/deadlines/deadline.routes.ts';
import { supervisionRoutes } from './modules/supervision/supervision.routes.ts';
import { modeRoutes } from './modules/modes/mode.routes.ts';
import { notificationRoutes } from './modules/notifications/notification.routes.ts';
import { statsRoutes } from './modules/stats/stats.routes.ts';
import { liveRoutes } from './modules/live/live.routes.ts';
import { webRoutes } from './modules/web/web.routes.ts';

export type { AppContext, RoutePlugin } from './http/context.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  /** The spatial index holder (GeoIndex port); an empty one (everything outside) when absent. */
  geo?: GeoIndexHolder;
  /** Fastify logger: false in tests; default pino at config.logLevel. */
  logger?: boolean | object;
  /** Defaults to the system clock; tests pass fixedClock(). */
  clock?: Clock;
  /** Defaults to a new in-process bus whose handler failures are logged. */
  events?: EventBus;
  /** Extra route plugins registered under /api after the built-in ones. */
  routePlugins?: RoutePlugin[];
  /** Deadline timers and notification channels (default: sweep every 2 s once listening; log channel). */
  /** Deadline timers and channels; `false`: no deadline handlers at all (benchmarks of one part). */
  deadlines?: DeadlineOptions | false;
  /** The route plugins to register instead of the full set (benchmarks of one part). */
  plugins?: RoutePlugin[];
}

/**
 * ─── ROUTE PLUGINS ─────────────────────────────────────────────────────────────────────────────
 * Every module's routes, registered in this order under `/api` with `{ ctx: AppContext }`.
 */
export const routePlugins: RoutePlugin[] = [
  healthRoutes,
  authRoutes,
  userRoutes,
  departmentRoutes,
  territoryRoutes,
  caseRoutes,
  attachmentRoutes,
  dispatchRoutes,
  deadlineRoutes,
  supervisionRoutes,
  modeRoutes,
  notificationRoutes,
  statsRoutes,
  liveRoutes,
];

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  registerAjvFormats();

  const options: FastifyServerOptions = {
    logger: deps.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    frameworkErrors,
  };
  const app = Fastify(options).withTypeProvider<TypeBoxTypeProvider>();
  // Validation by TypeBox's compiler instead of Fastify's default Ajv (which coerces and strips):
  // bodies are checked exactly as sent — no type coercion, nothing removed, extra fields refused
  // by `additionalProperties: false` — while querystring and params are converted ("5" → 5)
  // before the check (http/validator.ts: not for schemas of strings only, where nothing converts).
  // Errors come out in Ajv's shape, so errors.ts reads both.
  app.setValidatorCompiler(validatorCompiler);

  installErrorHandling(app);
  // JSON is the only body format (modules taking uploads add multipart); text/plain → 415.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // An empty body sent as JSON counts as no body (clients often set the header on every call);
  // routes that need a body then fail validation with a 400.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    parseJson(request, body as string, done);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'gridloop API',
        description: 'Grid-based grassroots governance 网格化基层治理: the closed loop from report to rating',
        version: VERSION,
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const sessions = new SessionStore(database, clock);
  installAuth(app, sessions);

  const events = deps.events ?? createEventBus((error) => app.log.error({ err: error }, 'event handler failed'));
  const ctx: AppContext = { config, database, clock, sessions, events, geo: deps.geo ?? new GeoIndexHolder(async () => EMPTY_GEO_INDEX) };
  for (const plugin of [...(deps.plugins ?? routePlugins), ...(deps.routePlugins ?? [])]) {
    await app.register(plugin, { prefix: '/api', ctx });
  }
  if (deps.deadlines !== false) installDeadlines(app, ctx, deps.deadlines);
  // The pages, at the root (not under /api).
  await webRoutes(app);
  return app;
}

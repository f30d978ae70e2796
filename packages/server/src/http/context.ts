import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '@gridloop/domain';
import type { Database } from '../adapters/db/database.ts';
import type { Config } from '../config.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { GeoIndexHolder } from '../adapters/geo/geo-index-holder.ts';
import type { SessionStore } from '../modules/people/session.service.ts';

/** What route plugins receive: the composition root's services, never hung off the Fastify instance. */
export interface AppContext {
  config: Config;
  database: Database;
  clock: Clock;
  sessions: SessionStore;
  /** Domain events: commands emit, side effects subscribe. */
  events: EventBus;
  /** The spatial index behind the GeoIndex port, swapped atomically when grids change. */
  geo: GeoIndexHolder;
}

/** A module's routes: registered under `/api` with `{ ctx }`. */
export type RoutePlugin = FastifyPluginAsyncTypebox<{ ctx: AppContext }>;

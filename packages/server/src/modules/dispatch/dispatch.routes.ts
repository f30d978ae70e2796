import type { RoutePlugin } from '../../http/context.ts';
import { createDispatchModule } from './dispatch.module.ts';
import { repeatRoutes } from './repeat.routes.ts';
import { responsibilityRoutes } from './responsibility.routes.ts';
import { routingRoutes } from './routing.routes.ts';
import { similarRoutes } from './similar.routes.ts';
import { whistleRoutes } from './whistle.routes.ts';

/**
 * Dispatch 智能分派: responsibility lists, routing and the queue, whistles, similar cases, merges,
 * batches, repeats. One module per app: its event handlers start with the app and drain on close.
 */
export const dispatchRoutes: RoutePlugin = async (r, { ctx }) => {
  const mod = createDispatchModule(ctx, (msg, err) => r.log.error({ err }, msg));
  r.addHook('onReady', async () => mod.backfill());
  r.addHook('onClose', async () => mod.close());
  await r.register(responsibilityRoutes, { mod });
  await r.register(routingRoutes, { mod });
  await r.register(whistleRoutes, { mod });
  await r.register(similarRoutes, { mod });
  await r.register(repeatRoutes, { mod });
};

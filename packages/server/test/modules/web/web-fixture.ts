/**
 * A real gridloop server for the pages' tests: the shared test app (helpers/app.ts: a small
 * territory with polygons, departments, one login per role) listening on 127.0.0.1:0, plus the
 * stats / live / territory / web routes when the composition root does not register them yet.
 */
import type { Dialect } from '../../../src/adapters/db/database.ts';
import { routePlugins } from '../../../src/app.ts';
import type { RoutePlugin } from '../../../src/http/context.ts';
import { liveRoutes } from '../../../src/modules/live/live.routes.ts';
import { statsRoutes } from '../../../src/modules/stats/stats.routes.ts';
import { territoryRoutes } from '../../../src/modules/territory/territory.routes.ts';
import { webRoutes } from '../../../src/modules/web/web.routes.ts';
import { PASSWORD, POINTS, T, type TestApp, createTestApp } from '../../helpers/app.ts';

export { PASSWORD, POINTS, T };

export interface WebTestServer extends TestApp {
  baseUrl: string;
  /** Logs in over HTTP: `{ token, user }` as the login route answers. */
  session(username: string): Promise<{ token: string; user: Record<string, unknown> }>;
}

export async function startWebTestServer(opts: { dialect?: Dialect } = {}): Promise<WebTestServer> {
  const wanted: RoutePlugin[] = [territoryRoutes, statsRoutes, liveRoutes];
  // The test owns the clock, so it owns the sweep too: no real-time timer firing deadlines while a
  // test has moved the clock forward for a moment (that made escalations appear in later tests).
  const t = await createTestApp({ dialect: opts.dialect, extra: { routePlugins: wanted.filter((p) => !routePlugins.includes(p)), deadlines: { jobs: false } } });
  try {
    if (!t.app.hasRoute({ method: 'GET', url: '/*' })) await webRoutes(t.app);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return {
      ...t,
      baseUrl,
      async session(username) {
        const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
        if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
        return (await res.json()) as { token: string; user: Record<string, unknown> };
      },
    };
  } catch (error) {
    await t.close();
    throw error;
  }
}

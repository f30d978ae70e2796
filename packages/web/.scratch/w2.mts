import Fastify from 'fastify';
import { webRoutes } from '../../server/src/modules/web/web.routes.ts';
const app = Fastify({ logger: { level: 'error' } });
await webRoutes(app);
for (const url of ['/', '/index.html', '/m/citizen/']) {
  const r = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
  console.log(url, r.statusCode, r.body.slice(0, 300));
}

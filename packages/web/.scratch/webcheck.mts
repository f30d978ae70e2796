import Fastify from 'fastify';
import { webRoutes } from '/work/main/packages/server/src/modules/web/web.routes.ts';
const app = Fastify();
app.setNotFoundHandler((req, reply) => reply.code(404).send({ code: 'route_not_found' }));
await webRoutes(app);
app.get('/api/x', async () => ({ ok: 1 }));
for (const url of ['/', '/m/citizen', '/m/citizen/', '/assets/nope.js', '/api/x', '/api/nope', '/index.html']) {
  const r = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
  console.log(url, r.statusCode, r.headers['content-type'], r.headers['content-encoding'], r.headers['cache-control'], r.headers.location ?? '', r.body.length);
}
const a = (await app.inject({ url: '/' })).body.match(/\/assets\/[^"]+\.js/)![0];
const r = await app.inject({ url: a, headers: { 'accept-encoding': 'gzip, br' } });
console.log(a, r.statusCode, r.headers['content-encoding'], r.headers['cache-control'], r.rawPayload.length);

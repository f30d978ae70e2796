/**
 * The inbox 站内通知: list, mark read, and a server-sent-events stream. The stream pushes what this
 * process writes at once (the bus) and polls the store for what other processes wrote (any number
 * of servers share one database); each notification is sent once per stream.
 */
import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { errorResponses, httpError } from '../../http/errors.ts';
import { bearerSecurity, Id, PageQuery } from '../../http/schemas.ts';
import type { NotificationRecord } from './notification.repository.ts';
import { countUnread, listNotifications, markRead, notificationExists, notificationsSince } from './notification.repository.ts';

export const HEARTBEAT_MS = 15_000;
/** How often a stream looks for notifications written by other processes. */
export const POLL_MS = 3_000;
export const MAX_STREAMS = 2000;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const NotificationView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  caseId: Nullable(Type.String()),
  title: Type.String(),
  body: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
  readAt: Nullable(Type.String()),
});
const present = ({ userId: _, ...n }: NotificationRecord) => n;
const frame = (event: string, data: unknown, id?: string) => `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const notificationRoutes: RoutePlugin = async (r, { ctx }) => {
  const { database, clock, events } = ctx;
  const tags = ['notifications'];
  const open = new Set<ServerResponse>();

  r.addHook('preClose', async () => {
    for (const res of open) res.end();
    open.clear();
  });

  r.get('/notifications', {
    schema: {
      tags, summary: '我的通知 Your inbox, newest first', security: bearerSecurity,
      querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(NotificationView), total: Type.Integer(), unread: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }), ...errorResponses },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const limit = req.query.limit ?? 50;
    const offset = req.query.offset ?? 0;
    const page = await listNotifications(database.db, actor.userId, { unreadOnly: req.query.unread ?? false, limit, offset });
    return { items: page.items.map(present), total: page.total, unread: page.unread, limit, offset };
  });

  r.post('/notifications/:id/read', {
    schema: { tags, summary: '标记已读 Mark one notification read', security: bearerSecurity, params: Type.Object({ id: Id }), response: { 200: Type.Object({ unread: Type.Integer() }), ...errorResponses } },
  }, async (req) => {
    const actor = requireActor(req);
    const n = await database.write((trx) => markRead(trx, actor.userId, [req.params.id], clock.now().toISOString()));
    if (n === 0 && !(await notificationExists(database.db, actor.userId, req.params.id))) {
      throw httpError(404, 'notification_not_found', 'No such notification', '通知不存在');
    }
    return { unread: await countUnread(database.db, actor.userId) };
  });

  r.post('/notifications/read-all', {
    schema: { tags, summary: '全部已读 Mark every notification read', security: bearerSecurity, response: { 200: Type.Object({ marked: Type.Integer(), unread: Type.Integer() }), ...errorResponses } },
  }, async (req) => {
    const actor = requireActor(req);
    const marked = await database.write((trx) => markRead(trx, actor.userId, 'all', clock.now().toISOString()));
    return { marked, unread: await countUnread(database.db, actor.userId) };
  });

  r.get('/notifications/stream', {
    schema: {
      tags, summary: '通知推送 Server-sent events: `notification` for each new one (text/event-stream)', security: bearerSecurity,
      response: { 200: Type.String({ description: 'text/event-stream: `ready` {unread, at}, then `notification` frames (NotificationView, id = notification id)' }), ...errorResponses },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (open.size >= MAX_STREAMS) throw httpError(503, 'too_many_streams', 'Too many streams are open; try again later', '连接过多，请稍后重试');
    const unread = await countUnread(database.db, actor.userId);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: 3000\n${frame('ready', { unread, at: clock.now().toISOString() })}`);
    open.add(res);

    // Sent ids, bounded: a notification arriving both from the bus and from the poll goes out once.
    const sent = new Set<string>();
    let cursor = clock.now().toISOString();
    const send = (n: NotificationRecord) => {
      if (n.userId !== actor.userId || sent.has(n.id)) return;
      sent.add(n.id);
      if (sent.size > 5000) sent.delete(sent.values().next().value!);
      if (n.createdAt > cursor) cursor = n.createdAt;
      res.write(frame('notification', present(n), n.id));
    };
    const off = events.on('notification.created', ({ notification }) => send(notification));
    let polling = false;
    const poll = setInterval(() => {
      if (polling) return;
      polling = true;
      notificationsSince(database.db, actor.userId, cursor)
        .then((list) => list.forEach(send))
        .catch(() => {})
        .finally(() => {
          polling = false;
        });
    }, POLL_MS);
    const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    poll.unref();
    beat.unref();
    const stop = () => {
      clearInterval(poll);
      clearInterval(beat);
      off();
      open.delete(res);
    };
    res.on('close', stop);
    res.on('error', stop);
  });
};

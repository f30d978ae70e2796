/**
 * The live feed 实时动态: GET /api/live/stream sends every case event the caller may see as
 * server-sent events (text/event-stream), filtered to `?under=CODE` when given. Nothing personal
 * is sent: the case's number, category, status, action, place and point. A comment line every
 * 15 s keeps proxies from closing the stream; the server ends open streams when it shuts down.
 */
import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import type { Case, CaseEvent } from '@gridloop/domain';
import { can, caseSubject, placeIsUnder, placeOfCode } from '@gridloop/domain';
import type { EventBus } from '../../events/event-bus.ts';
import { requireActor } from '../../http/auth.ts';
import type { RoutePlugin } from '../../http/context.ts';
import { errorResponses, httpError } from '../../http/errors.ts';
import { NodeCode, bearerSecurity } from '../../http/schemas.ts';

export const HEARTBEAT_MS = 15_000;
/** Streams one process keeps open at most (each is one socket and one bus listener). */
export const MAX_STREAMS = 1000;

export interface LiveEvent {
  type: 'case.reported' | 'case.transitioned';
  caseId: string;
  number: string;
  seq: number;
  action: string;
  status: string;
  fromStatus: string | null;
  category: string;
  source: string;
  priority: string;
  at: string;
  nodeCode: string;
  gridCode: string | null;
  villageCode: string | null;
  townshipCode: string | null;
  countyCode: string | null;
  lng: number | null;
  lat: number | null;
}

export function liveEventOf(type: LiveEvent['type'], c: Case, e: CaseEvent): LiveEvent {
  return {
    type, caseId: c.id, number: c.number, seq: e.seq, action: e.action, status: c.status, fromStatus: e.fromStatus,
    category: c.category, source: c.source, priority: c.priority, at: e.at, nodeCode: c.nodeCode,
    gridCode: c.place.gridCode, villageCode: c.place.villageCode, townshipCode: c.place.townshipCode, countyCode: c.place.countyCode,
    lng: c.lng, lat: c.lat,
  };
}

/** One SSE frame. */
export function sseFrame(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const liveRoutes: RoutePlugin = async (r, { ctx }) => {
  const bus: EventBus | undefined = ctx.events;
  const open = new Set<ServerResponse>();

  r.addHook('preClose', async () => {
    for (const res of open) res.end();
    open.clear();
  });

  r.get('/live/stream', {
    schema: {
      tags: ['stats'], summary: '实时动态 Server-sent events of the case events you may see (text/event-stream)',
      security: bearerSecurity,
      querystring: Type.Object({ under: Type.Optional(NodeCode) }, { additionalProperties: false }),
      response: { 200: Type.String({ description: 'text/event-stream: `case` frames (event, case number, status, place; nothing personal)' }), ...errorResponses },
    },
  }, async (req, reply) => {
    const actor = requireActor(req);
    if (!bus) throw httpError(503, 'live_unavailable', 'The live feed is not wired on this server', '本服务未启用实时动态');
    if (open.size >= MAX_STREAMS) throw httpError(503, 'too_many_streams', 'Too many live streams are open; try again later', '实时连接过多，请稍后重试');
    const under = req.query.under ?? null;
    if (under && !placeOfCode(under)) throw httpError(400, 'invalid_node_code', `"${under}" is not a territory node code`, `“${under}”不是有效的辖区编码`);

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\n${sseFrame('ready', { at: ctx.clock.now().toISOString(), under })}`);
    open.add(res);

    const send = (type: LiveEvent['type']) => (p: { case: Case; event: CaseEvent }) => {
      if (under && !placeIsUnder(p.case.place, under)) return;
      if (!can(actor, 'case.read', caseSubject(p.case))) return;
      res.write(sseFrame(type, liveEventOf(type, p.case, p.event), `${p.case.id}:${p.event.seq}`));
    };
    const offs = [bus.on('case.reported', send('case.reported')), bus.on('case.transitioned', send('case.transitioned'))];
    const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    beat.unref();
    const stop = () => {
      clearInterval(beat);
      for (const off of offs) off();
      open.delete(res);
    };
    res.on('close', stop);
    res.on('error', stop);
  });
};

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../src/events/event-bus.ts';
import type { NotificationChannel } from '../../../src/modules/notifications/notification.channels.ts';
import { deliver, GatewayChannel, LoggingChannel, WeComRobotChannel } from '../../../src/modules/notifications/notification.channels.ts';
import type { Contact, NotificationRecord } from '../../../src/modules/notifications/notification.repository.ts';
import { insertNotifications } from '../../../src/modules/notifications/notification.repository.ts';
import { bearer, createTestApp, POINTS, type TestApp } from '../../helpers/app.ts';
import { DIALECTS } from '../../helpers/databases.ts';

/** Reads SSE frames from a streaming response until `until` is satisfied or the time is up. */
async function readFrames(res: Response, until: (frames: { event: string; data: any }[]) => boolean, ms = 8000) {
  const reader = res.body!.getReader();
  const frames: { event: string; data: any }[] = [];
  let buf = '';
  const deadline = Date.now() + ms;
  while (!until(frames) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
    if (!chunk || chunk.done) break;
    buf += new TextDecoder().decode(chunk.value);
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const raw = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const event = /^event: (.*)$/m.exec(raw)?.[1];
      const data = /^data: (.*)$/m.exec(raw)?.[1];
      if (event && data) frames.push({ event, data: JSON.parse(data) });
    }
  }
  await reader.cancel().catch(() => {});
  return frames;
}

for (const dialect of DIALECTS) {
  describe(`notifications (${dialect})`, () => {
    let t: TestApp;
    const sent: { channel: string; n: NotificationRecord; to: Contact }[] = [];
    const capture: NotificationChannel = { name: 'capture', send: async (n, to) => void sent.push({ channel: 'capture', n, to }) };
    let base = '';
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      t = await createTestApp({ dialect, extra: { events: createEventBus(), deadlines: { jobs: false, channels: [capture] } } });
      for (const u of ['citizen', 'dispatcher', 'staff', 'supervisor', 'head'] as const) tokens[u] = await t.login(t.users[u].username);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    });
    afterAll(async () => t?.close());
    const call = (who: string, method: string, path: string, body?: unknown) =>
      fetch(`${base}${path}`, { method, headers: { ...bearer(tokens[who]!), ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

    it('an urge reaches the handler’s stream at once, the inbox, and the channels; read marks', async () => {
      const c = await (await call('citizen', 'POST', '/api/cases', { source: 'citizen_app', category: 'water_supply', description: '停水', location: POINTS.grid })).json();
      await call('dispatcher', 'POST', `/api/cases/${c.id}/actions/accept`, {});
      await call('dispatcher', 'POST', `/api/cases/${c.id}/actions/dispatch`, { departmentId: 'dept-water' });

      const stream = await call('staff', 'GET', '/api/notifications/stream');
      expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reading = readFrames(stream, (f) => f.some((x) => x.event === 'notification'));
      await new Promise((r) => setTimeout(r, 100));
      const urged = await call('supervisor', 'POST', `/api/cases/${c.id}/urge`, { note: '请今日内恢复供水' });
      expect(urged.status).toBe(200);
      const frames = await reading;
      expect(frames[0]).toMatchObject({ event: 'ready' });
      expect(frames.find((f) => f.event === 'notification')?.data).toMatchObject({ kind: 'case.urged', caseId: c.id, title: '催办通知' });

      const inbox = await (await call('staff', 'GET', '/api/notifications')).json();
      expect(inbox).toMatchObject({ total: 1, unread: 1 });
      expect(inbox.items[0]).toMatchObject({ kind: 'case.urged', readAt: null, data: { number: c.number } });
      await new Promise((r) => setTimeout(r, 50));
      expect(sent.filter((s) => s.n.caseId === c.id).map((s) => [s.to.id, s.n.kind]).sort()).toEqual([[t.users.head.id, 'case.urged'], [t.users.staff.id, 'case.urged']].sort());

      expect((await (await call('staff', 'POST', `/api/notifications/${inbox.items[0].id}/read`)).json())).toEqual({ unread: 0 });
      expect((await call('staff', 'POST', `/api/notifications/${randomUUID()}/read`)).status).toBe(404);
      expect((await call('head', 'POST', `/api/notifications/${inbox.items[0].id}/read`)).status).toBe(404); // not theirs
      expect((await (await call('head', 'POST', '/api/notifications/read-all')).json())).toEqual({ marked: 1, unread: 0 });
      expect((await (await call('head', 'GET', '/api/notifications?unread=true')).json()).total).toBe(0);
      expect((await fetch(`${base}/api/notifications`)).status).toBe(401);
    });

    it('a notification written by another process reaches the stream through the poll', async () => {
      const stream = await call('dispatcher', 'GET', '/api/notifications/stream');
      const reading = readFrames(stream, (f) => f.some((x) => x.event === 'notification'));
      await new Promise((r) => setTimeout(r, 100));
      // Written straight to the store, as another server's sweep would: no event on this process's bus.
      const id = randomUUID();
      await t.database.write((trx) => insertNotifications(trx, [{ id, userId: t.users.dispatcher.id, kind: 'deadline.overdue', caseId: null, title: '案件超期', body: 'x', data: {}, createdAt: t.clock.now().toISOString(), readAt: null, dedupKey: `test:${id}` }]));
      const frames = await reading;
      expect(frames.find((f) => f.event === 'notification')?.data).toMatchObject({ id, kind: 'deadline.overdue' });
    });
  });
}

describe('notification channels', () => {
  const n: NotificationRecord = { id: 'n1', userId: 'u1', kind: 'case.urged', caseId: 'c1', title: '催办通知', body: '请尽快办理', data: {}, createdAt: '2026-03-02T08:00:00.000Z', readAt: null };
  const to: Contact = { id: 'u1', displayName: '张三', phone: '13800000000' };

  it('logging, WeCom robot and gateway channels; a failing channel does not stop the others', async () => {
    const lines: string[] = [];
    const calls: { url: string; body: any }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, body: JSON.parse(String(init.body)) });
      if (url.includes('broken')) return new Response('{"errcode":93000,"errmsg":"invalid webhook url"}', { status: 200 });
      return new Response('{"errcode":0}', { status: 200 });
    }) as unknown as typeof fetch;
    const channels = [
      new LoggingChannel((_f, msg) => lines.push(msg)),
      new WeComRobotChannel({ url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=broken', fetch: fakeFetch }),
      new GatewayChannel('sms', { url: 'https://sms.example/send', fetch: fakeFetch }),
    ];
    const failures: string[] = [];
    const delivered = await deliver(channels, [n], new Map([[to.id, to]]), (f) => failures.push(String(f.channel)));
    expect(delivered).toBe(2);
    expect(failures).toEqual(['wecom']);
    expect(lines).toEqual(['催办通知: 请尽快办理']);
    expect(calls[0]!.body).toEqual({ msgtype: 'text', text: { content: '【催办通知】请尽快办理', mentioned_mobile_list: ['13800000000'] } });
    expect(calls[1]!.body).toMatchObject({ channel: 'sms', to: { phone: '13800000000' }, caseId: 'c1' });
    // no phone: the SMS gateway is not called
    await deliver([new GatewayChannel('sms', { url: 'https://sms.example/send', fetch: fakeFetch })], [n], new Map([[to.id, { ...to, phone: null }]]), () => {});
    expect(calls).toHaveLength(2);
  });
});

import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSse } from '../../../../web/src/shared/sse.ts';
import { POINTS, T, type WebTestServer, startWebTestServer } from '../web/web-fixture.ts';

/** GET /api/live/stream: the case events each caller may see, as server-sent events. */
let s: WebTestServer;

interface Stream {
  status: number;
  contentType: string;
  events: { event: string; data: Record<string, unknown> }[];
  /** Resolves when an event matching `pred` has arrived (or rejects after `ms`). */
  waitFor(pred: (e: { event: string; data: Record<string, unknown> }) => boolean, ms?: number): Promise<{ event: string; data: Record<string, unknown> }>;
  close(): void;
}

function open(path: string, token: string | null): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, s.baseUrl);
    const req = request(url, { headers: token ? { authorization: `Bearer ${token}`, accept: 'text/event-stream' } : {} }, (res) => {
      const events: Stream['events'] = [];
      const waiters: (() => void)[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const parsed = parseSse(buffer + chunk);
        buffer = parsed.rest;
        for (const m of parsed.messages) events.push({ event: m.event, data: JSON.parse(m.data) as Record<string, unknown> });
        for (const w of waiters.splice(0)) w();
      });
      res.on('error', () => {});
      resolve({
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        events,
        waitFor(pred, ms = 3000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no matching event in ${ms} ms; got ${JSON.stringify(events)}`)), ms);
            const check = () => {
              const hit = events.find(pred);
              if (hit) {
                clearTimeout(timer);
                ok(hit);
              } else waiters.push(check);
            };
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function report(token: string, body: object): Promise<{ id: string; number: string }> {
  const res = await fetch(`${s.baseUrl}/api/cases`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; number: string };
}

beforeAll(async () => {
  s = await startWebTestServer();
});
afterAll(async () => s?.close());

describe('GET /api/live/stream', () => {
  it('streams reported and transitioned cases to a dispatcher, without personal data', async () => {
    const token = await s.login('dispatcher');
    const stream = await open('/api/live/stream', token);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    await stream.waitFor((e) => e.event === 'ready');
    const citizen = await s.login('citizen');
    const c = await report(citizen, { source: 'citizen_app', category: 'water_supply', description: '停水了，请尽快处理', location: POINTS.grid, reporter: { name: '张三', phone: '13812345678' } });
    const reported = await stream.waitFor((e) => e.event === 'case.reported' && e.data.caseId === c.id);
    expect(reported.data).toMatchObject({ number: c.number, status: 'reported', action: 'report', category: 'water_supply', gridCode: T.grid, countyCode: T.county });
    expect(JSON.stringify(reported.data)).not.toMatch(/张三|13812345678|停水/);
    await fetch(`${s.baseUrl}/api/cases/${c.id}/actions/accept`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ version: 1 }) });
    const accepted = await stream.waitFor((e) => e.event === 'case.transitioned' && e.data.caseId === c.id);
    expect(accepted.data).toMatchObject({ action: 'accept', status: 'accepted', fromStatus: 'reported', seq: 2 });
    stream.close();
  });

  it('sends each caller only what they may see, and honours ?under=', async () => {
    const other = await open('/api/live/stream', await s.login('dispatcher2'));
    const narrow = await open(`/api/live/stream?under=${T.grid2}`, await s.login('dispatcher'));
    const mine = await open('/api/live/stream', await s.login('dispatcher'));
    await Promise.all([other, narrow, mine].map((x) => x.waitFor((e) => e.event === 'ready')));
    const c = await report(await s.login('citizen'), { source: 'citizen_app', category: 'noise', description: '夜间施工噪音扰民', location: POINTS.grid });
    await mine.waitFor((e) => e.data.caseId === c.id);
    // The other county's dispatcher and the stream narrowed to grid 2 get nothing of it.
    const e2 = await report(await s.login('dispatcher2'), { source: 'hotline_12345', category: 'noise', description: '东区噪音', location: POINTS.otherGrid });
    await other.waitFor((e) => e.data.caseId === e2.id);
    expect(other.events.some((e) => e.data.caseId === c.id)).toBe(false);
    expect(narrow.events.some((e) => e.data.caseId === c.id || e.data.caseId === e2.id)).toBe(false);
    for (const x of [other, narrow, mine]) x.close();
  });

  it('refuses anonymous callers and bad node codes', async () => {
    expect((await open('/api/live/stream', null)).status).toBe(401);
    expect((await open('/api/live/stream?under=xyz', await s.login('dispatcher'))).status).toBe(400);
  });

  it('ends open streams when the server closes', async () => {
    const local = await startWebTestServer();
    const saved = s;
    s = local;
    try {
      const stream = await open('/api/live/stream', await local.login('dispatcher'));
      await stream.waitFor((e) => e.event === 'ready');
      const started = Date.now();
      await local.close();
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      s = saved;
    }
  });
});

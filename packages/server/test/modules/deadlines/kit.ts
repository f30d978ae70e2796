/**
 * Shared set-up for the deadline tests: the test app (timers not started: the tests run the sweep
 * themselves with the fake clock), its event bus, a sweep on the same database, HTTP helpers.
 * Sessions are opened at the helper's default time (2026-03-02) and stay valid at any earlier
 * instant, so the scenarios set the clock back to 2025/2026 dates freely.
 */
import type { LightMyRequestResponse } from 'fastify';
import type { Dialect } from '../../../src/adapters/db/database.ts';
import { createEventBus, type EventBus } from '../../../src/events/event-bus.ts';
import { createDeadlineSweep, type DeadlineSweep } from '../../../src/jobs/deadline-sweep.ts';
import { bearer, createTestApp, POINTS, type TestApp, type TestUser } from '../../helpers/app.ts';

export const cn = (s: string): Date => new Date(`${s.length === 16 ? `${s}:00` : s}+08:00`);
/** The last instant of a Beijing day (a day-based deadline). */
export const endOf = (day: string): string => new Date(cn(`${day}T23:59`).getTime() + 59_999).toISOString();
export const iso = (s: string): string => cn(s).toISOString();

export interface Kit {
  t: TestApp;
  events: EventBus;
  sweep: DeadlineSweep;
  as(u: TestUser): { authorization: string };
  /** Opens fresh sessions at the current (fake) time: for scenarios after the default 2026-03-02. */
  relogin(...users: TestUser[]): Promise<void>;
  at(s: string): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read back in assertions
  report(who: TestUser, body: Record<string, unknown>): Promise<{ id: string; deadline: any; [k: string]: any }>;
  act(who: TestUser, id: string, action: string, body?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  post(who: TestUser, url: string, body?: Record<string, unknown>): Promise<LightMyRequestResponse>;
  get(who: TestUser, url: string): Promise<LightMyRequestResponse>;
  /** Waits for writes queued so far (e.g. the intake handler's deadline record). */
  settle(): Promise<void>;
  notifications(who: TestUser): Promise<{ kind: string; caseId: string | null; title: string; body: string; data: Record<string, unknown> }[]>;
  history(who: TestUser, id: string): Promise<{ action: string; actorRole: string | null; note: string | null; data: Record<string, unknown> }[]>;
  close(): Promise<void>;
}

export async function createKit(dialect: Dialect): Promise<Kit> {
  const events = createEventBus((e) => { throw e; });
  const t = await createTestApp({ dialect, extra: { events, deadlines: { jobs: false } } });
  const tokens = {} as Record<TestUser, string>;
  for (const u of Object.keys(t.users) as TestUser[]) tokens[u] = await t.login(t.users[u].username);
  const sweep = createDeadlineSweep({ database: t.database, clock: t.clock, events });
  const as = (u: TestUser) => bearer(tokens[u]);
  const kit: Kit = {
    t, events, sweep, as,
    at: (s) => t.clock.set(cn(s)),
    async relogin(...users) {
      for (const u of users) tokens[u] = await t.login(t.users[u].username);
    },
    async report(who, body) {
      const r = await t.app.inject({ method: 'POST', url: '/api/cases', headers: as(who), payload: { location: POINTS.grid, ...body } });
      if (r.statusCode !== 201) throw new Error(`report: ${r.statusCode} ${r.body}`);
      await kit.settle();
      // The case as read back (the intake answer itself does not carry the deadline yet).
      return (await kit.get(who, `/api/cases/${r.json().id}`)).json();
    },
    act: (who, id, action, body = {}) => t.app.inject({ method: 'POST', url: `/api/cases/${id}/actions/${action}`, headers: as(who), payload: body }),
    post: (who, url, body = {}) => t.app.inject({ method: 'POST', url, headers: as(who), payload: body }),
    get: (who, url) => t.app.inject({ method: 'GET', url, headers: as(who) }),
    async settle() {
      await new Promise((r) => setImmediate(r));
      await t.database.write(async () => {});
    },
    async notifications(who) {
      const r = await kit.get(who, '/api/notifications?limit=200');
      return r.json().items;
    },
    async history(who, id) {
      return (await kit.get(who, `/api/cases/${id}/history`)).json();
    },
    close: () => t.close(),
  };
  return kit;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/databases.ts';
import { type TestApp, PASSWORD, createTestApp } from '../../helpers/app.ts';

/** 登录失败处理: 5 wrong passwords in 15 minutes lock a username for 15 minutes, on both databases. */
describe.each(DIALECTS)('login lockout on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ dialect });
  });
  afterAll(async () => t?.close());

  const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  it('refuses even the right password while locked, says until when, and lets the user in afterwards', async () => {
    for (let i = 0; i < 4; i++) expect((await login('volunteer', `wrong ${i}`)).statusCode).toBe(401);
    const fifth = await login('Volunteer', 'wrong 5'); // the same username, however it is typed
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json()).toMatchObject({ code: 'login_locked', details: { retryAfterSeconds: 900 } });
    expect(fifth.json().message_zh).toContain('15 分钟');
    expect(fifth.headers['retry-after']).toBe('900');
    const right = await login('volunteer', PASSWORD);
    expect(right.statusCode).toBe(429);
    // Other accounts are not affected.
    expect((await login('worker', PASSWORD)).statusCode).toBe(200);
    t.clock.advance(15 * 60_000);
    try {
      expect((await login('volunteer', PASSWORD)).statusCode).toBe(200);
      // A successful login clears the count: four more failures do not lock.
      for (let i = 0; i < 4; i++) expect((await login('volunteer', `again ${i}`)).statusCode).toBe(401);
      expect((await login('volunteer', PASSWORD)).statusCode).toBe(200);
      const rows = await t.database.db.selectFrom('login_failures').selectAll().where('username', '=', 'volunteer').execute();
      expect(rows).toEqual([]);
    } finally {
      t.clock.set('2026-03-02T08:00:00.000Z');
    }
  });

  it('counts unknown usernames the same way (a lock does not reveal whether an account exists)', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await login('no-such-user', 'x'.repeat(8))).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('counts concurrent failures without losing any', async () => {
    const codes = (await Promise.all(Array.from({ length: 8 }, (_, i) => login('citizen2', `wrong ${i}`)))).map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(4);
    expect((await login('citizen2', PASSWORD)).statusCode).toBe(429);
  });
});

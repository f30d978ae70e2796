import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { GeoIndexHolder } from '../../src/adapters/geo/geo-index-holder.ts';
import { type Clock, type Role, fixedClock } from '@gridloop/domain';
import type { Dialect } from '../../src/adapters/db/database.ts';
import { type AppDeps, buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createDepartment } from '../../src/modules/departments/department.service.ts';
import { hashPassword } from '../../src/modules/people/password.ts';
import { createUser } from '../../src/modules/people/user.service.ts';
import { type TestDatabase, createTestDatabase } from './databases.ts';

/**
 * A built app on a fresh migrated database with a small territory (one county → township →
 * village → grid), two departments and one account per common role. Every password is PASSWORD.
 */
export const PASSWORD = 'correct horse battery';
export const T = {
  province: '41',
  city: '4111',
  county: '411102',
  otherCounty: '411103',
  township: '411102001',
  village: '411102001001',
  grid: '411102001001G01',
  grid2: '411102001001G02',
  otherVillage: '411103001001',
  otherGrid: '411103001001G01',
} as const;

/** A rectangle as GeoJSON Polygon text, with its bbox columns. */
function rect(minLng: number, minLat: number, maxLng: number, maxLat: number) {
  const ring = [[minLng, minLat], [maxLng, minLat], [maxLng, maxLat], [minLng, maxLat], [minLng, minLat]];
  return { geometry: JSON.stringify({ type: 'Polygon', coordinates: [ring] }), min_lng: minLng, min_lat: minLat, max_lng: maxLng, max_lat: maxLat };
}

/** Points inside the test territory's polygons (WGS-84). */
export const POINTS = {
  grid: { lng: 113.97, lat: 33.6 }, // in T.grid
  grid2: { lng: 114.03, lat: 33.6 }, // in T.grid2
  county: { lng: 113.92, lat: 33.52 }, // in the county, outside every grid
  otherGrid: { lng: 114.2, lat: 33.6 }, // in T.otherGrid
  outside: { lng: 116.4, lat: 39.9 }, // Beijing: outside the territory
} as const;

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), logLevel: 'silent', ...overrides };
}

export async function seedTerritory(database: TestDatabase): Promise<void> {
  const now = '2026-01-01T00:00:00.000Z';
  await database.write(async (trx) => {
    const region = (code: string, name: string, level: string, parent: string | null, box?: [number, number, number, number]) => ({
      code,
      name,
      level,
      parent_code: parent,
      province_code: code.slice(0, 2),
      city_code: code.length >= 4 ? code.slice(0, 4) : null,
      county_code: code.length >= 6 ? code.slice(0, 6) : null,
      township_code: code.length >= 9 ? code.slice(0, 9) : null,
      geometry: box ? rect(...box).geometry : null,
      geometry_source: box ? 'test' : null,
    });
    await trx
      .insertInto('regions')
      .values([
        region(T.province, '河南省', 'province', null),
        region(T.city, '漯河市', 'city', T.province),
        region(T.county, '源汇区', 'county', T.city, [113.9, 33.5, 114.1, 33.7]),
        region(T.otherCounty, '郾城区', 'county', T.city, [114.1, 33.5, 114.3, 33.7]),
        region(T.township, '马路街街道', 'township', T.county, [113.95, 33.55, 114.05, 33.65]),
        region(T.village, '交通路社区', 'village', T.township, [113.95, 33.55, 114.05, 33.65]),
        region('411103001', '沙北街道', 'township', T.otherCounty, [114.15, 33.55, 114.25, 33.65]),
        region(T.otherVillage, '黄河路社区', 'village', '411103001', [114.15, 33.55, 114.25, 33.65]),
      ])
      .execute();
    const grid = (code: string, name: string, village: string, box: [number, number, number, number]) => ({
      code, name, kind: 'community', village_code: village, province_code: T.province, city_code: T.city,
      county_code: village.slice(0, 6), township_code: village.slice(0, 9), households: 300, population: 900,
      created_at: now, updated_at: now, ...rect(...box),
    });
    await trx
      .insertInto('grids')
      .values([
        grid(T.grid, '交通路社区第1网格', T.village, [113.95, 33.55, 114.0, 33.65]),
        grid(T.grid2, '交通路社区第2网格', T.village, [114.0, 33.55, 114.05, 33.65]),
        grid(T.otherGrid, '黄河路社区第1网格', T.otherVillage, [114.15, 33.55, 114.25, 33.65]),
      ])
      .execute();
  });
}

export type TestUser =
  | 'admin' | 'dispatcher' | 'otherDispatcher' | 'worker' | 'worker2' | 'otherWorker' | 'gridLeader' | 'volunteer'
  | 'staff' | 'head' | 'cityStaff' | 'leader' | 'supervisor' | 'citizen' | 'citizen2';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  clock: Clock & { set(d: Date | string): void; advance(ms: number): void };
  users: Record<TestUser, { id: string; username: string }>;
  departments: { water: string; city: string };
  /** Logs in and returns the bearer token. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createTestApp(opts: { dialect?: Dialect; extra?: Partial<AppDeps>; config?: Partial<Config> } = {}): Promise<TestApp> {
  const database = await createTestDatabase(opts.dialect ?? 'sqlite');
  const clock = fixedClock('2026-03-02T08:00:00.000Z');
  try {
    await seedTerritory(database);
    const water = await createDepartment(database, { id: 'dept-water', name: '源汇区水务局', nameEn: 'Water Bureau', kind: 'government', level: 'county', regionCode: T.county }, clock);
    const city = await createDepartment(database, { id: 'dept-city', name: '漯河市城市管理局', kind: 'government', level: 'city', regionCode: T.city }, clock);
    if (!water.ok || !city.ok) throw new Error('department seed failed');
    const passwordHash = await hashPassword(PASSWORD);
    const make = async (username: string, role: Role, scopeCode: string | null, departmentId: string | null) => {
      const r = await createUser(database, { username, displayName: username, role, passwordHash, scopeCode, departmentId }, clock);
      if (!r.ok) throw new Error(`user seed failed: ${r.error.message}`);
      return { id: r.value.id, username };
    };
    const users = {
      admin: await make('admin', 'admin', null, null),
      dispatcher: await make('dispatcher', 'dispatcher', T.county, null),
      otherDispatcher: await make('dispatcher2', 'dispatcher', T.otherCounty, null),
      worker: await make('worker', 'grid_worker', T.grid, null),
      worker2: await make('worker2', 'grid_worker', T.grid2, null),
      otherWorker: await make('worker3', 'grid_worker', T.otherGrid, null),
      gridLeader: await make('gridleader', 'grid_leader', T.village, null),
      volunteer: await make('volunteer', 'volunteer', T.grid, null),
      staff: await make('staff', 'department_staff', null, 'dept-water'),
      head: await make('head', 'department_head', null, 'dept-water'),
      cityStaff: await make('citystaff', 'department_staff', null, 'dept-city'),
      leader: await make('leader', 'leader', T.county, null),
      supervisor: await make('supervisor', 'supervisor', T.city, null),
      citizen: await make('citizen', 'citizen', null, null),
      citizen2: await make('citizen2', 'citizen', null, null),
    };
    const geo = await GeoIndexHolder.open(database);
    const dataDir = await mkdtemp(join(tmpdir(), 'gridloop-files-'));
    const app = await buildApp({ config: testConfig({ dataDir, ...opts.config }), database, logger: false, clock, geo, ...opts.extra });
    return {
      app,
      database,
      clock,
      users,
      departments: { water: 'dept-water', city: 'dept-city' },
      async login(username, password = PASSWORD) {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
        if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
        return (res.json() as { token: string }).token;
      },
      async close() {
        await app.close();
        await database.drop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, fixedClock, parsePolygonal } from '@gridloop/domain';
import type { Database } from '../../../src/adapters/db/database.ts';
import { importGridsAs } from '../../../src/modules/territory/grid-import.service.ts';
import { T, seedTerritory } from '../../helpers/app.ts';
import { DIALECTS, type TestDatabase, createTestDatabase } from '../../helpers/databases.ts';

const gcoord = createRequire(import.meta.url)('gcoord') as typeof import('gcoord').default;

const admin: Actor = { userId: 'u-admin', role: 'admin', scopeCode: null, departmentId: null };
const clock = fixedClock('2026-03-02T08:00:00.000Z');

const ring = (x0: number, y0: number, s: number) => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];
const feature = (properties: Record<string, unknown>, x0: number, y0 = 33.6, s = 0.004) => ({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [ring(x0, y0, s)] } });
const file = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

function counter() {
  const calls = { n: 0 };
  return { calls, geo: { requestRebuild: () => void calls.n++ } };
}

describe.each(DIALECTS)('grid import on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await seedTerritory(database);
  });
  afterAll(async () => database?.drop());
  beforeEach(async () => {
    // back to the seed's three grids
    await database.write((trx) => trx.deleteFrom('grids').where('code', 'not in', [T.grid, T.grid2, T.otherGrid]).execute());
  });

  const count = async () => Number((await database.db.selectFrom('grids').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('a dry run reports what would happen and writes nothing', async () => {
    const { calls, geo } = counter();
    const content = file(feature({ code: `${T.village}G03`, name: '第3网格', kind: 'community', households: 310 }, 113.96), feature({ village_code: T.village, name: '第4网格' }, 113.97));
    const r = await importGridsAs(database, admin, { content, dryRun: true }, { clock, geo });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ ok: true, dry_run: true, features: 2, valid: 2, created: 0, would_create: 2, would_update: 0, errors: [] });
    expect(r.value.villages).toEqual([{ code: T.village, name: '交通路社区', grids: 2 }]);
    expect(r.value.grids.map((g) => [g.code, g.kind, g.action])).toEqual([[`${T.village}G03`, 'community', 'create'], [`${T.village}G04`, 'community', 'create']]);
    expect(r.value.warnings.map((w) => w.code)).toEqual(['kind_inferred']);
    expect(r.value.grids[0].area_m2).toBeGreaterThan(150_000);
    expect(await count()).toBe(3);
    expect(calls.n).toBe(0);
  });

  it('imports: explicit and numbered codes, place columns, bbox, rebuilds the index once', async () => {
    const { calls, geo } = counter();
    const content = file(feature({ code: `${T.village}G07`, name: '第7网格', kind: '专属网格', households: 12, population: '80' }, 113.96), feature({ village_code: T.village }, 113.97));
    const r = await importGridsAs(database, admin, { content }, { clock, geo });
    expect(r.ok && r.value).toMatchObject({ ok: true, created: 2, updated: 0 });
    const rows = await database.db.selectFrom('grids').selectAll().where('village_code', '=', T.village).orderBy('code').execute();
    expect(rows.map((g) => [g.code, g.name, g.kind, g.households, g.population])).toEqual([
      [T.grid, '交通路社区第1网格', 'community', 300, 900],
      [T.grid2, '交通路社区第2网格', 'community', 300, 900],
      [`${T.village}G07`, '第7网格', 'dedicated', 12, 80],
      [`${T.village}G08`, `${T.village}G08`, 'community', null, null],
    ]);
    const g7 = rows[2];
    expect(g7).toMatchObject({ township_code: T.township, county_code: T.county, city_code: T.city, province_code: T.province, min_lng: 113.96, max_lat: 33.604, version: 1, created_at: '2026-03-02T08:00:00.000Z' });
    expect(parsePolygonal(g7.geometry)).toEqual([[ring(113.96, 33.6, 0.004).map(([x, y]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6])]]);
    expect(calls.n).toBe(1);
  });

  it('rejects the whole file on any database error: unknown or non-village parents, existing codes, grids outside the scope', async () => {
    const { calls, geo } = counter();
    const content = file(
      feature({ code: `${T.village}G05` }, 113.96),
      feature({ village_code: '411102001099' }, 113.97),
      feature({ code: `${T.township}000G01` }, 113.98),
      feature({ code: T.grid }, 113.99),
      feature({ code: `${T.otherVillage}G05` }, 114.2),
    );
    const r = await importGridsAs(database, { ...admin, scopeCode: T.county }, { content }, { clock, geo });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.ok).toBe(false);
    expect(r.value.errors.map((e) => [e.feature, e.code])).toEqual([
      [1, 'parent_not_found'],
      [2, 'parent_not_found'],
      [3, 'code_exists'],
      [4, 'out_of_scope'],
    ]);
    expect(r.value.valid).toBe(1);
    expect(r.value.errors[1].message).toContain('does not exist');
    expect(await count()).toBe(3);
    expect(calls.n).toBe(0);
  });

  it('a parse error anywhere rejects the file before any database work', async () => {
    const r = await importGridsAs(database, admin, { content: '{"type":"FeatureCollection","features":[' }, { clock });
    expect(r.ok && r.value.errors.map((e) => e.code)).toEqual(['not_json']);
    const bad = await importGridsAs(database, admin, { content: file(feature({ code: `${T.village}G05` }, 113.96), { type: 'Feature', properties: { code: `${T.village}G06` }, geometry: null }) }, { clock });
    expect(bad.ok && bad.value).toMatchObject({ ok: false, valid: 1, errors_total: 1 });
    expect(await count()).toBe(3);
  });

  it('upsert replaces existing grids and bumps their version', async () => {
    const content = file(feature({ code: T.grid, name: '新名称', kind: 'rural', households: 480 }, 113.951, 33.551, 0.01));
    const refused = await importGridsAs(database, admin, { content }, { clock });
    expect(refused.ok && refused.value.errors.map((e) => e.code)).toEqual(['code_exists']);
    const r = await importGridsAs(database, admin, { content, mode: 'upsert' }, { clock });
    expect(r.ok && r.value).toMatchObject({ ok: true, created: 0, updated: 1 });
    const row = await database.db.selectFrom('grids').selectAll().where('code', '=', T.grid).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: '新名称', kind: 'rural', households: 480, population: null, version: 2, min_lng: 113.951, created_at: '2026-01-01T00:00:00.000Z' });
  });

  it('converts GCJ-02 and BD-09 to WGS-84 for storage', async () => {
    for (const [crs, n] of [['GCJ02', 11], ['BD09', 12]] as const) {
      const content = file(feature({ code: `${T.village}G${n}` }, 113.96));
      const r = await importGridsAs(database, admin, { content, crs }, { clock });
      expect(r.ok && r.value.ok).toBe(true);
      const row = await database.db.selectFrom('grids').select('geometry').where('code', '=', `${T.village}G${n}`).executeTakeFirstOrThrow();
      const stored = parsePolygonal(row.geometry)![0][0][0];
      const expected = gcoord.transform([113.96, 33.6], gcoord[crs], gcoord.WGS84) as number[];
      expect(stored[0]).toBeCloseTo(expected[0], 6);
      expect(stored[1]).toBeCloseTo(expected[1], 6);
      expect(Math.abs(stored[0] - 113.96)).toBeGreaterThan(0.003); // the offsets are hundreds of metres
    }
  });

  it('nothing is half-imported: a transaction that fails rolls every grid back', async () => {
    const failing: Database = {
      ...database,
      write: (job) =>
        database.write(async (trx) => {
          await job(trx);
          throw new Error('disk full');
        }),
    };
    const content = file(feature({ code: `${T.village}G20` }, 113.96), feature({ code: `${T.village}G21` }, 113.97), feature({ code: `${T.village}G22` }, 113.98));
    await expect(importGridsAs(failing, admin, { content }, { clock })).rejects.toThrow('disk full');
    expect(await count()).toBe(3);
  });

  it('needs grid.write', async () => {
    const r = await importGridsAs(database, { userId: 'd', role: 'dispatcher', scopeCode: T.county, departmentId: null }, { content: file() }, { clock });
    expect(!r.ok && r.error.code).toBe('forbidden');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MultiPolygon, geodesicArea, nodeLevelOfCode, parsePolygonal, pointInMultiPolygon } from '@gridloop/domain';
import { DIALECTS, type TestDatabase } from '../../helpers/databases.ts';
import { readEchartsFile } from '../../../src/modules/territory/echarts-geojson.ts';
import { allocate, generateTerritoryGeometry, isCommunity, shortVillageName, unitRandom } from '../../../src/modules/territory/territory-generate.ts';
import type { GenerateResult } from '../../../src/modules/territory/territory-generate.ts';
import { LUOHE, luoheDatabase } from './luohe.ts';

describe('generation helpers', () => {
  it('allocates with largest remainders, at least the minimum each', () => {
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(9660, [1, 2, 3, 4]).reduce((a, b) => a + b)).toBe(9660);
    expect(allocate(5, [0, 0, 100])).toEqual([1, 1, 3]);
    expect(() => allocate(2, [1, 1, 1])).toThrow(RangeError);
  });

  it('village names and kinds', () => {
    expect(shortVillageName('交通路社区居民委员会')).toBe('交通路社区');
    expect(shortVillageName('马庄村民委员会')).toBe('马庄村');
    expect(shortVillageName('大杨庄村村民委员会')).toBe('大杨庄村');
    expect(shortVillageName('滨西社区居委会')).toBe('滨西社区');
    expect(isCommunity('交通路社区居民委员会')).toBe(true);
    expect(isCommunity('马庄村民委员会')).toBe(false);
  });

  it('random draws depend on the seed and the key only', () => {
    expect(unitRandom(1, 'a')()).toBe(unitRandom(1, 'a')());
    expect(unitRandom(1, 'a')()).not.toBe(unitRandom(2, 'a')());
    expect(unitRandom(1, 'a')()).not.toBe(unitRandom(1, 'b')());
  });
});

const area = (text: string | null) => geodesicArea(parsePolygonal(text)!);

describe.each(DIALECTS)('generateTerritoryGeometry for Luohe on %s', (dialect) => {
  let database: TestDatabase;
  let result: GenerateResult;
  beforeAll(async () => {
    const made = await luoheDatabase(dialect);
    database = made.database;
    result = made.generated!;
  });
  afterAll(async () => database?.drop());

  it('makes 9,660 grids over the 1,334 villages, every village at least one', async () => {
    expect(result).toMatchObject({ counties: 6, townships: 58, villages: 1334, grids: 9660, carved: [{ code: '411171', from: '411102' }] });
    const grids = await database.db.selectFrom('grids').selectAll().execute();
    expect(grids).toHaveLength(9660);
    const perVillage = new Map<string, number>();
    for (const g of grids) perVillage.set(g.village_code, (perVillage.get(g.village_code) ?? 0) + 1);
    expect(perVillage.size).toBe(1334);
    const kinds = new Set(grids.map((g) => g.kind));
    expect([...kinds].sort()).toEqual(['community', 'dedicated', 'rural']);
    expect(result.dedicatedGrids).toBeGreaterThan(0);
    expect(result.dedicatedGrids).toBeLessThan(300);
    for (const g of grids.slice(0, 500)) {
      expect(nodeLevelOfCode(g.code)).toBe('grid');
      expect(g.code.startsWith(`${g.village_code}G`)).toBe(true);
      expect(g.township_code).toBe(g.village_code.slice(0, 9));
      expect(g.households).toBeGreaterThanOrEqual(0);
      expect(g.population).toBeGreaterThan(0);
      expect(g.geometry).not.toBeNull();
      const mp = parsePolygonal(g.geometry)!;
      expect(g.min_lng).toBeLessThanOrEqual(mp[0][0][0][0]);
      expect(g.max_lat).toBeGreaterThanOrEqual(mp[0][0][0][1]);
    }
    const g1 = grids.find((g) => g.code === '411102001001G01')!;
    expect(g1.name).toMatch(/^.+第1网格$/);
  });

  it('townships and villages get generated polygons that add up to their parent', async () => {
    const regions = await database.db.selectFrom('regions').selectAll().where('city_code', '=', '4111').execute();
    const byCode = new Map(regions.map((r) => [r.code, r]));
    for (const r of regions.filter((x) => x.level === 'township' || x.level === 'village')) {
      expect(r.geometry_source).toBe('generated');
      expect(r.center_lng).not.toBeNull();
      expect(pointInMultiPolygon(r.center_lng!, r.center_lat!, parsePolygonal(r.geometry)!)).toBe(true);
    }
    for (const county of regions.filter((x) => x.level === 'county')) {
      const townships = regions.filter((x) => x.parent_code === county.code);
      const sum = townships.reduce((s, t) => s + area(t.geometry), 0);
      expect(Math.abs(sum - area(county.geometry)) / area(county.geometry)).toBeLessThan(1e-4);
    }
    // grids of a village add up to it (a few villages checked)
    const sample = ['411102001001', '411121100201', '411122001207', '411171101001'];
    for (const v of sample) {
      expect(byCode.has(v)).toBe(true);
      const grids = await database.db.selectFrom('grids').select('geometry').where('village_code', '=', v).execute();
      expect(grids.length).toBeGreaterThan(0);
      const sum = grids.reduce((s, g) => s + area(g.geometry), 0);
      expect(Math.abs(sum - area(byCode.get(v)!.geometry)) / area(byCode.get(v)!.geometry)).toBeLessThan(1e-4);
    }
  });

  it('carves 411171 out of 源汇区 in proportion to village counts', async () => {
    const [yuanhui] = (await readEchartsFile('he2_nan2_ta4_he2.geojson')).filter((f) => f.id === '411102');
    const whole = geodesicArea(yuanhui.polygon);
    const donor = await database.db.selectFrom('regions').selectAll().where('code', '=', '411102').executeTakeFirstOrThrow();
    const carved = await database.db.selectFrom('regions').selectAll().where('code', '=', '411171').executeTakeFirstOrThrow();
    expect(donor.geometry_source).toBe('generated');
    expect(carved.geometry_source).toBe('generated');
    // 源汇区 has 129 villages, the development zone 53
    expect(Math.abs(area(carved.geometry) - (whole * 53) / 182) / ((whole * 53) / 182)).toBeLessThan(0.01);
    expect(Math.abs(area(carved.geometry) + area(donor.geometry) - whole) / whole).toBeLessThan(1e-6);
    const other = await database.db.selectFrom('regions').select('geometry_source').where('code', '=', '411121').executeTakeFirstOrThrow();
    expect(other.geometry_source).toBe('echarts');
  });

  it('is deterministic and idempotent for a seed; another seed draws differently', async () => {
    const snapshot = async () => {
      const rows = await database.db.selectFrom('grids').select(['code', 'name', 'kind', 'households', 'geometry']).orderBy('code').execute();
      const villages = await database.db.selectFrom('regions').select(['code', 'geometry']).where('level', '=', 'village').orderBy('code').execute();
      return { rows, villages };
    };
    const first = await snapshot();
    await generateTerritoryGeometry(database, '4111', { gridsTotal: LUOHE.grids, seed: LUOHE.seed });
    const second = await snapshot();
    expect(second.rows).toEqual(first.rows);
    expect(second.villages).toEqual(first.villages);
    await generateTerritoryGeometry(database, '4111', { gridsTotal: LUOHE.grids, seed: 7 });
    const other = await snapshot();
    expect(other.rows).toHaveLength(9660);
    expect(other.rows.map((r) => r.code)).not.toEqual(first.rows.map((r) => r.code));
    await generateTerritoryGeometry(database, '4111', { gridsTotal: LUOHE.grids, seed: LUOHE.seed });
  });

  it('refuses a city that is not imported, or too few grids', async () => {
    await expect(generateTerritoryGeometry(database, '4112', { gridsTotal: 10, seed: 1 })).rejects.toThrow(/not imported/);
    await expect(generateTerritoryGeometry(database, '4111', { gridsTotal: 100, seed: 1 })).rejects.toThrow(RangeError);
  });
});

describe('generation geometry sanity', () => {
  it('no overlap between the grids of one village (random points)', async () => {
    const { database } = await luoheDatabase('sqlite');
    try {
      const grids = await database.db.selectFrom('grids').select(['code', 'geometry']).where('village_code', '=', '411121100201').execute();
      const village = await database.db.selectFrom('regions').select('geometry').where('code', '=', '411121100201').executeTakeFirstOrThrow();
      const vmp = parsePolygonal(village.geometry)!;
      const shapes: MultiPolygon[] = grids.map((g) => parsePolygonal(g.geometry)!);
      const [minX, minY, maxX, maxY] = [Math.min(...vmp.flatMap((p) => p[0].map((q) => q[0]))), Math.min(...vmp.flatMap((p) => p[0].map((q) => q[1]))), Math.max(...vmp.flatMap((p) => p[0].map((q) => q[0]))), Math.max(...vmp.flatMap((p) => p[0].map((q) => q[1])))];
      let inside = 0;
      for (let i = 0; i < 4000; i++) {
        const x = minX + ((i * 7919) % 4000) / 4000 * (maxX - minX);
        const y = minY + ((i * 104729) % 3989) / 3989 * (maxY - minY);
        const n = shapes.filter((s) => pointInMultiPolygon(x, y, s)).length;
        const inVillage = pointInMultiPolygon(x, y, vmp);
        if (inVillage) inside++;
        expect(n).toBe(inVillage ? 1 : 0);
      }
      expect(inside).toBeGreaterThan(500);
    } finally {
      await database.drop();
    }
  });
});

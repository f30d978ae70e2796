import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BBox, type MultiPolygon, bbox, seededRandom, toGeometry } from '@gridloop/domain';
import { type GeoUnit, buildGeoIndex } from '../../../src/adapters/geo/flatbush-geo-index.ts';
import { readCityFeatures } from '../../../src/modules/territory/echarts-geojson.ts';

/** The seeds' cities: Zhengzhou, Luohe, Changzhi, Jinzhong, Yuncheng. */
const CITIES = ['4101', '4111', '1404', '1407', '1408'];

interface County {
  code: string;
  city: string;
  mp: MultiPolygon;
  box: BBox;
  geometry: ReturnType<typeof toGeometry>;
}

describe('geo index against turf on the real county polygons of five cities', () => {
  const counties: County[] = [];
  beforeAll(async () => {
    for (const city of CITIES) {
      const seen = new Set<string>();
      for (const f of await readCityFeatures(city, null)) {
        if (!f.id?.startsWith(city) || seen.has(f.id) || f.polygon.length === 0) continue;
        seen.add(f.id);
        counties.push({ code: f.id, city, mp: f.polygon, box: bbox(f.polygon), geometry: toGeometry(f.polygon) });
      }
    }
  });

  it('agrees with @turf/boolean-point-in-polygon on 100,000 random points', () => {
    expect(new Set(counties.map((c) => c.city)).size).toBe(5);
    expect(counties.length).toBeGreaterThan(50);
    const index = buildGeoIndex(counties.map((c): GeoUnit => ({ code: c.code, kind: 'county', polygon: c.mp })));
    // turf's candidates come from a plain bbox tree; the containment decision is turf's alone
    const boxes = new Flatbush(counties.length);
    for (const c of counties) boxes.add(c.box[0], c.box[1], c.box[2], c.box[3]);
    boxes.finish();
    const r = seededRandom(3);
    let inside = 0;
    let outside = 0;
    const perCity = 20_000;
    for (const city of CITIES) {
      const own = counties.filter((c) => c.city === city);
      const b = own.reduce<BBox>((acc, c) => [Math.min(acc[0], c.box[0]), Math.min(acc[1], c.box[1]), Math.max(acc[2], c.box[2]), Math.max(acc[3], c.box[3])], [Infinity, Infinity, -Infinity, -Infinity]);
      for (let i = 0; i < perCity; i++) {
        const x = b[0] - 0.05 + r() * (b[2] - b[0] + 0.1);
        const y = b[1] - 0.05 + r() * (b[3] - b[1] + 0.1);
        const expected = boxes.search(x, y, x, y).filter((k) => booleanPointInPolygon([x, y], counties[k].geometry as never)).map((k) => counties[k].code);
        const got = index.locate(x, y);
        if (expected.length === 0) {
          outside++;
          expect(got).toBeNull();
        } else {
          inside++;
          expect(expected).toContain(got?.nodeCode);
        }
      }
    }
    expect(inside + outside).toBe(100_000);
    expect(inside).toBeGreaterThan(50_000);
    expect(outside).toBeGreaterThan(5_000);
    console.log(`${counties.length} counties of ${CITIES.length} cities: ${inside} points inside a county, ${outside} outside, all as turf says`);
  });
});

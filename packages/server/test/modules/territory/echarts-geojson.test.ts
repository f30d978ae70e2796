import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bbox, geodesicArea, pointInMultiPolygon, type Ring } from '@gridloop/domain';
import {
  decodeEchartsRing,
  echartsCityFiles,
  echartsFileByCityName,
  echartsGeojsonDir,
  emptyRepairStats,
  matchCounties,
  parseEchartsFeatures,
  readCityFeatures,
  readEchartsFile,
  repairMultiPolygon,
  ringSelfIntersects,
  scanFeatureIds,
} from '../../../src/modules/territory/echarts-geojson.ts';

/** ECharts' encoder (the inverse of decodePolygon), to round-trip known coordinates. */
function encodeRing(ring: Ring, scale = 1024): { text: string; offset: [number, number] } {
  const q = ring.map(([x, y]) => [Math.round(x * scale), Math.round(y * scale)]);
  const offset: [number, number] = [q[0][0], q[0][1]];
  let [px, py] = offset;
  let text = '';
  const zig = (v: number) => (v << 1) ^ (v >> 31);
  for (const [x, y] of q) {
    text += String.fromCharCode(zig(x - px) + 64, zig(y - py) + 64);
    px = x;
    py = y;
  }
  return { text, offset };
}

describe('ECharts compressed coordinates', () => {
  it('decodes zigzag deltas from the offset, divided by 1024', () => {
    const ring: Ring = [[114.0, 33.5], [114.0234375, 33.5], [114.0234375, 33.4912109375], [113.998046875, 33.4912109375], [114.0, 33.5]];
    const { text, offset } = encodeRing(ring);
    expect(decodeEchartsRing(text, offset)).toEqual(ring);
  });

  it('decodes a hand-made pair: "@@" is no move, "B@" is +1 in x, "A@" is -1', () => {
    expect(decodeEchartsRing('@@B@A@A@', [1024, 2048])).toEqual([[1, 2], [1 + 1 / 1024, 2], [1, 2], [1 - 1 / 1024, 2]]);
  });

  it('reads an encoded file (Chongqing) into real places', async () => {
    const raw = JSON.parse(await readFile(join(echartsGeojsonDir(), 'chongqing.geojson'), 'utf8'));
    expect(raw.UTF8Encoding).toBe(true);
    const features = parseEchartsFeatures(raw);
    expect(features.length).toBe(38);
    const yuzhong = features.find((f) => f.id === '500103')!;
    expect(yuzhong.name).toBe('渝中区');
    expect(pointInMultiPolygon(106.5693, 29.5525, yuzhong.polygon)).toBe(true); // 解放碑
    const all = features.flatMap((f) => f.polygon);
    const [minX, minY, maxX, maxY] = bbox(all);
    expect(minX).toBeGreaterThan(105.2);
    expect(maxX).toBeLessThan(110.3);
    expect(minY).toBeGreaterThan(28.1);
    expect(maxY).toBeLessThan(32.3);
    // Chongqing covers about 82,400 km²
    const km2 = features.reduce((s, f) => s + geodesicArea(f.polygon), 0) / 1e6;
    expect(Math.abs(km2 - 82_400) / 82_400).toBeLessThan(0.03);
  });
});

describe('ring repair', () => {
  it('drops consecutive duplicates, closes rings, drops short rings, counts self-intersections', () => {
    const stats = emptyRepairStats();
    const bowtie: Ring = [[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]];
    const repaired = repairMultiPolygon(
      [
        [[[0, 0], [0, 0], [1, 0], [1, 1], [1, 1], [0, 1]], [[0.2, 0.2], [0.3, 0.2], [0.2, 0.2]]],
        [bowtie],
        [[[5, 5], [6, 5], [5, 5]]],
      ],
      stats,
    );
    expect(repaired).toEqual([[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [bowtie]]);
    expect(stats).toEqual({ features: 0, rings: 4, duplicatePoints: 2, closedRings: 1, droppedRings: 2, selfIntersectingRings: 1 });
  });

  it('self-intersection: crossings and touching count, simple rings do not', () => {
    expect(ringSelfIntersects([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]])).toBe(false);
    expect(ringSelfIntersects([[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]])).toBe(true);
    // a spike that goes out and comes straight back
    expect(ringSelfIntersects([[0, 0], [2, 0], [3, 0], [2, 0], [2, 2], [0, 2], [0, 0]])).toBe(true);
    // L-shape: concave but simple
    expect(ringSelfIntersects([[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]])).toBe(false);
  });
});

describe('city files', () => {
  it('maps city codes to files by the ids inside', async () => {
    const index = await echartsCityFiles();
    expect(index.get('4111')).toEqual(['he2_nan2_ta4_he2.geojson']);
    expect(index.get('5001')).toEqual(['chongqing.geojson']);
    expect(index.get('5002')).toEqual(['chongqing.geojson']);
    // provincially administered counties: one file each
    expect(index.get('4290')).toHaveLength(4);
    expect(scanFeatureIds(Buffer.from('{"id": "411102", "x": 1},{"id":411103},{"id":"41"}'))).toEqual(['411102', '411103']);
  });

  it('finds a file without ids through the registry (Cangzhou)', () => {
    expect(echartsFileByCityName('沧州市')).toBe('he2_bei3_cang1_zhou1.geojson');
    expect(echartsFileByCityName('漯河市')).toBe('he2_nan2_ta4_he2.geojson');
    expect(echartsFileByCityName('没有这个市')).toBeNull();
  });

  it('Luohe: five counties with polygons, 411171 has none', async () => {
    const stats = emptyRepairStats();
    const features = await readEchartsFile('he2_nan2_ta4_he2.geojson', stats);
    expect(features.map((f) => f.id)).toEqual(['411102', '411103', '411104', '411121', '411122']);
    expect(features[0]).toMatchObject({ name: '源汇区', cp: [114.017948, 33.565441] });
    expect(stats.features).toBe(5);
    expect(stats.duplicatePoints).toBeGreaterThan(1000);
    expect(stats.droppedRings).toBe(0);
    // Luohe covers about 2,617 km² (these older, coarse borders give 2,700)
    const km2 = features.reduce((s, f) => s + geodesicArea(f.polygon), 0) / 1e6;
    expect(Math.abs(km2 - 2617) / 2617).toBeLessThan(0.05);
    // every label point lies in its own county
    for (const f of features) expect(pointInMultiPolygon(f.cp![0], f.cp![1], f.polygon)).toBe(true);
    const matched = matchCounties(features, [
      { code: '411102', name: '源汇区' },
      { code: '411171', name: '漯河经济技术开发区' },
    ]);
    expect([...matched.keys()]).toEqual(['411102']);
  });

  it('matches features without ids by name (Shanghai 崇明区, Cangzhou)', async () => {
    const shanghai = await readCityFeatures('3101', '市辖区');
    const chongming = shanghai.find((f) => f.name === '崇明区')!;
    expect(chongming.id).toBeNull();
    const m = matchCounties(shanghai, [{ code: '310151', name: '崇明区' }, { code: '310101', name: '黄浦区' }]);
    expect(m.get('310151')).toBe(chongming);
    expect(m.get('310101')?.id).toBe('310101');
    const cangzhou = await readCityFeatures('1309', '沧州市');
    expect(cangzhou.length).toBe(16);
    expect(matchCounties(cangzhou, [{ code: '130902', name: '新华区' }]).get('130902')?.name).toBe('新华区');
  });
});

import { describe, expect, it } from 'vitest';
import { bucketOf, cellOf, cellsAround, charBigrams, distanceM, familyOf, findRepeat, placeOfCode, setCosine, similarityScore } from '../../src/index.ts';

describe('similar cases: buckets, distance and scoring', () => {
  it('the cells around a point cover every point within the radius', () => {
    const centre = { lng: 114.0163, lat: 33.5812 };
    const cells = new Set(cellsAround(centre.lng, centre.lat, 300));
    expect(cells.size).toBeGreaterThanOrEqual(4);
    expect(cells.size).toBeLessThanOrEqual(9);
    for (let i = 0; i < 2000; i++) {
      const angle = (i / 2000) * 2 * Math.PI;
      const r = 299 * ((i % 7) + 1) / 7;
      const p = { lng: centre.lng + (r * Math.cos(angle)) / (111_320 * Math.cos((centre.lat * Math.PI) / 180)), lat: centre.lat + (r * Math.sin(angle)) / 111_320 };
      expect(distanceM(centre, p)).toBeLessThan(300.5);
      expect(cells.has(cellOf(p.lng, p.lat))).toBe(true);
    }
  });

  it('cases without a point share their grid bucket', () => {
    const place = placeOfCode('411102001001G01')!;
    expect(bucketOf({ lng: null, lat: null, place, nodeCode: '411102001001G01' })).toBe('n:411102001001G01');
    expect(bucketOf({ lng: 114, lat: 33.6, place, nodeCode: 'x' })).toBe(cellOf(114, 33.6));
  });

  it('distance is metres on the sphere', () => {
    expect(distanceM({ lng: 114, lat: 33.6 }, { lng: 114, lat: 33.601 })).toBeCloseTo(111.2, 0);
    expect(familyOf('noise')).toBe('environment');
    expect(familyOf('water_supply')).toBe('utility');
  });

  it('a reworded duplicate scores far above the same kind of problem told differently', () => {
    const a = charBigrams('小区门口垃圾堆了好几天没人清运，味道很大');
    const dup = charBigrams('小区门口的垃圾堆好几天了没有人清运，臭味很大');
    const other = charBigrams('路边垃圾桶满溢，苍蝇很多');
    expect(setCosine(a, dup)).toBeGreaterThan(setCosine(a, other));
    const near = similarityScore({ features: a, otherFeatures: dup, distanceM: 40, ageDays: 1, sameCategory: true, radiusM: 300, windowDays: 30 });
    const far = similarityScore({ features: a, otherFeatures: other, distanceM: 280, ageDays: 25, sameCategory: true, radiusM: 300, windowDays: 30 });
    expect(near.score).toBeGreaterThan(0.7);
    expect(far.score).toBeLessThan(0.4);
    expect(near).toMatchObject({ sameCategory: true, proximity: expect.closeTo(0.867, 2) });
    expect(setCosine([], a)).toBe(0);
    expect(setCosine(a, a)).toBeCloseTo(1);
  });
});

describe('repeat problems', () => {
  const base = { category: 'environment_sanitation', gridCode: '411102001001G01', nodeCode: '411102001001G01' };
  const now = { id: 'new', ...base, lng: 114.0, lat: 33.6, createdAt: '2026-03-20T00:00:00Z', closedAt: null };
  it('flags the same category within ~100 m within 30 days of a closure, the latest closure first', () => {
    const closed = [
      { id: 'a', ...base, lng: 114.0005, lat: 33.6, createdAt: '2026-02-01T00:00:00Z', closedAt: '2026-03-01T00:00:00Z', chainId: 'first' },
      { id: 'b', ...base, lng: 114.0004, lat: 33.6003, createdAt: '2026-02-01T00:00:00Z', closedAt: '2026-03-10T00:00:00Z' },
      { id: 'far', ...base, lng: 114.003, lat: 33.6, createdAt: '2026-02-01T00:00:00Z', closedAt: '2026-03-15T00:00:00Z' },
      { id: 'old', ...base, lng: 114.0, lat: 33.6, createdAt: '2026-01-01T00:00:00Z', closedAt: '2026-02-10T00:00:00Z' },
      { id: 'other', ...base, category: 'noise', lng: 114.0, lat: 33.6, createdAt: '2026-03-01T00:00:00Z', closedAt: '2026-03-18T00:00:00Z' },
    ];
    expect(findRepeat(now, closed)).toMatchObject({ previousId: 'b', chainId: 'b', daysSinceClosure: 10 });
    expect(findRepeat(now, closed.filter((c) => c.id !== 'b'))).toMatchObject({ previousId: 'a', chainId: 'first' });
    expect(findRepeat(now, [closed[2], closed[3], closed[4]])).toBeNull();
    expect(findRepeat(now, [closed[3]], { windowDays: 40 })).toMatchObject({ previousId: 'old' });
  });
  it('without points, the same grid is the same place', () => {
    const p = { ...now, lng: null, lat: null };
    expect(findRepeat(p, [{ id: 'g', ...base, lng: 114.01, lat: 33.6, createdAt: '2026-03-01T00:00:00Z', closedAt: '2026-03-05T00:00:00Z' }])).toMatchObject({ previousId: 'g', distanceM: null });
    expect(findRepeat(p, [{ id: 'g2', ...base, gridCode: '411102001001G02', lng: null, lat: null, createdAt: '2026-03-01T00:00:00Z', closedAt: '2026-03-05T00:00:00Z' }])).toBeNull();
  });
});

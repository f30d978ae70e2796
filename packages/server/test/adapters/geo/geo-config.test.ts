import { describe, expect, it } from 'vitest';
import { geoIndexOptionsFromEnv } from '../../../src/adapters/geo/geo-config.ts';
import { buildGeoIndex } from '../../../src/adapters/geo/flatbush-geo-index.ts';
import { ConfigError } from '../../../src/config.ts';

describe('GRIDLOOP_GEO_NEAREST_M', () => {
  it('defaults to 50 m, takes 0–10000, refuses the rest naming the variable', () => {
    expect(geoIndexOptionsFromEnv({})).toEqual({ nearestWithinM: 50 });
    expect(geoIndexOptionsFromEnv({ GRIDLOOP_GEO_NEAREST_M: ' ' })).toEqual({ nearestWithinM: 50 });
    expect(geoIndexOptionsFromEnv({ GRIDLOOP_GEO_NEAREST_M: '0' })).toEqual({ nearestWithinM: 0 });
    expect(geoIndexOptionsFromEnv({ GRIDLOOP_GEO_NEAREST_M: '120.5' })).toEqual({ nearestWithinM: 120.5 });
    for (const bad of ['-1', 'abc', '10001', '1e3']) {
      expect(() => geoIndexOptionsFromEnv({ GRIDLOOP_GEO_NEAREST_M: bad })).toThrow(ConfigError);
    }
  });

  it('the distance decides whether a point just outside a grid snaps to it', () => {
    const grid = { code: '411102001001G01', kind: 'grid' as const, polygon: [[[[114, 33.6], [114.01, 33.6], [114.01, 33.61], [114, 33.61], [114, 33.6]]]] as [number, number][][][] };
    const x = 114.01 + 100 / (111_319.49 * Math.cos((33.605 * Math.PI) / 180)); // ≈ 100 m east
    expect(buildGeoIndex([grid], geoIndexOptionsFromEnv({})).locate(x, 33.605)).toBeNull();
    const near = buildGeoIndex([grid], geoIndexOptionsFromEnv({ GRIDLOOP_GEO_NEAREST_M: '150' })).locate(x, 33.605);
    expect(near?.gridCode).toBe('411102001001G01');
    expect(near?.distanceM).toBeCloseTo(100, 0);
  });
});

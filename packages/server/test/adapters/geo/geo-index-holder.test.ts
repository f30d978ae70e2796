import { describe, expect, it } from 'vitest';
import type { GeoIndex } from '@gridloop/domain';
import { EMPTY_GEO_INDEX, GeoIndexHolder } from '../../../src/adapters/geo/geo-index-holder.ts';

const fake = (size: number): GeoIndex => ({ size, locate: () => ({ nodeCode: `n${size}`, gridCode: null, distanceM: 0 }) });

describe('GeoIndexHolder', () => {
  it('starts empty, swaps in the rebuilt index', async () => {
    let n = 0;
    const holder = new GeoIndexHolder(async () => fake(++n));
    expect(holder.current).toBe(EMPTY_GEO_INDEX);
    expect(holder.current.locate(1, 2)).toBeNull();
    const built = await holder.rebuild();
    expect(holder.current).toBe(built);
    expect(holder.current.size).toBe(1);
    expect(holder.builds).toBe(1);
  });

  it('keeps serving the old index while a build runs', async () => {
    let release!: () => void;
    const holder = new GeoIndexHolder(() => new Promise<GeoIndex>((resolve) => (release = () => resolve(fake(2)))), fake(1));
    const pending = holder.rebuild();
    expect(holder.current.size).toBe(1);
    release();
    await pending;
    expect(holder.current.size).toBe(2);
  });

  it('coalesces calls during a build into one more build after it', async () => {
    let loads = 0;
    const releases: (() => void)[] = [];
    const holder = new GeoIndexHolder(
      () =>
        new Promise<GeoIndex>((resolve) => {
          const k = ++loads;
          releases.push(() => resolve(fake(k)));
        }),
    );
    const first = holder.rebuild();
    const second = holder.rebuild();
    const third = holder.rebuild();
    expect(second).toBe(third);
    expect(loads).toBe(1);
    releases[0]();
    expect((await first).size).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(loads).toBe(2); // the queued build started after the first finished
    releases[1]();
    expect((await second).size).toBe(2);
    expect(holder.current.size).toBe(2);
  });

  it('a failed build leaves the old index and does not block later builds', async () => {
    let fail = true;
    const holder = new GeoIndexHolder(async () => {
      if (fail) throw new Error('db down');
      return fake(5);
    }, fake(1));
    await expect(holder.rebuild()).rejects.toThrow('db down');
    expect(holder.current.size).toBe(1);
    const errors: unknown[] = [];
    holder.requestRebuild((e) => errors.push(e));
    await new Promise((r) => setTimeout(r, 10));
    expect(errors).toHaveLength(1);
    fail = false;
    expect((await holder.rebuild()).size).toBe(5);
  });
});

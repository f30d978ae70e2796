import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { newCaseId } from '../../../src/modules/cases/case-id.ts';

describe('case ids (UUIDv7 from pooled random bytes)', () => {
  it('are valid version-7 UUIDs, all different, each later one larger — also within one millisecond', () => {
    const now = Date.now() + 10_000; // ahead of any id made before in this process
    const ids = Array.from({ length: 5000 }, (_, i) => newCaseId(now + Math.floor(i / 1000)));
    for (const id of ids.slice(0, 50)) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carry the creation time in their first 48 bits, and keep order when the clock steps back', () => {
    const t = Date.parse('2031-05-06T07:08:09.010Z');
    const a = newCaseId(t);
    expect(parseInt(a.replaceAll('-', '').slice(0, 12), 16)).toBe(t);
    const b = newCaseId(t - 5000);
    expect(b > a).toBe(true);
  });

  it('draw fresh random bits when the pool refills (no two runs of 256 ids alike)', () => {
    const tail = (id: string) => id.slice(-12);
    const base = Date.parse('2032-01-01T00:00:00.000Z');
    const tails = Array.from({ length: 600 }, (_, i) => tail(newCaseId(base + i)));
    expect(new Set(tails).size).toBe(600);
  });
});

/**
 * Ports 端口: what the domain needs from the outside, implemented by adapters in the server package.
 * GeoIndex lives with the geometry (geo/geo-index.ts); stores are the server's repositories.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Fixed or steppable clock for tests. */
export function fixedClock(start: Date | string): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (d) => { t = new Date(d).getTime(); },
    advance: (ms) => { t += ms; },
  };
}

/**
 * Repeat problems 反复问题: the same place and category coming back within N days of a closure.
 * "The same place" is within ~100 m when both cases have a point, else the same grid (or node).
 */
import { distanceM } from './similarity.ts';

export const REPEAT_DEFAULTS = { windowDays: 30, radiusM: 100 } as const;

export interface PlacedCase {
  id: string;
  category: string;
  lng: number | null;
  lat: number | null;
  gridCode: string | null;
  nodeCode: string;
  createdAt: string;
  closedAt: string | null;
  /** The first case of the series this one belongs to (itself when it is not a repeat). */
  chainId?: string | null;
}

export interface RepeatMatch {
  previousId: string;
  /** The series: the first case of the same problem at the same place. */
  chainId: string;
  daysSinceClosure: number;
  distanceM: number | null;
}

const DAY_MS = 86_400_000;

export function samePlace(a: PlacedCase, b: PlacedCase, radiusM: number): { same: boolean; distanceM: number | null } {
  if (a.lng !== null && a.lat !== null && b.lng !== null && b.lat !== null) {
    const d = distanceM({ lng: a.lng, lat: a.lat }, { lng: b.lng, lat: b.lat });
    return { same: d <= radiusM, distanceM: Math.round(d) };
  }
  if (a.gridCode && b.gridCode) return { same: a.gridCode === b.gridCode, distanceM: null };
  return { same: a.nodeCode === b.nodeCode, distanceM: null };
}

/** The closed case `c` repeats (the most recently closed one), or null. */
export function findRepeat(c: PlacedCase, closed: readonly PlacedCase[], opts: { windowDays?: number; radiusM?: number } = {}): RepeatMatch | null {
  const windowDays = opts.windowDays ?? REPEAT_DEFAULTS.windowDays;
  const radiusM = opts.radiusM ?? REPEAT_DEFAULTS.radiusM;
  const at = Date.parse(c.createdAt);
  let best: RepeatMatch | null = null;
  let bestClosed = -Infinity;
  for (const p of closed) {
    if (p.id === c.id || p.category !== c.category || !p.closedAt) continue;
    const closedAt = Date.parse(p.closedAt);
    const days = (at - closedAt) / DAY_MS;
    if (days < 0 || days > windowDays) continue;
    const place = samePlace(c, p, radiusM);
    if (!place.same || closedAt <= bestClosed) continue;
    bestClosed = closedAt;
    best = { previousId: p.id, chainId: p.chainId ?? p.id, daysSinceClosure: Math.round(days * 10) / 10, distanceM: place.distanceM };
  }
  return best;
}

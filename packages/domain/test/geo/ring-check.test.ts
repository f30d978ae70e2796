import { describe, expect, it } from 'vitest';
import { findRingSelfIntersection, segmentsTouch } from '../../src/geo/ring-check.ts';
import type { Position, Ring } from '../../src/geo/types.ts';
import { L_SHAPE, rng, square } from './shapes.ts';

/** Every pair of non-adjacent edges, the slow way (rings without repeated points). */
function bruteForce(ring: Ring): boolean {
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsTouch(ring[i], ring[i + 1], ring[j], ring[j + 1])) return true;
    }
  }
  return false;
}

describe('findRingSelfIntersection', () => {
  it('simple rings pass: square, L-shape, either orientation, unclosed', () => {
    expect(findRingSelfIntersection(square(114, 33.5, 0.1))).toBeNull();
    expect(findRingSelfIntersection(square(114, 33.5, 0.1).reverse())).toBeNull();
    expect(findRingSelfIntersection(L_SHAPE[0])).toBeNull();
    expect(findRingSelfIntersection(square(114, 33.5, 0.1).slice(0, 4))).toBeNull();
  });

  it('a figure eight is located at its crossing edges', () => {
    // 0:(0,0) → 1:(1,1) → 2:(1,0) → 3:(0,1) → back: edges 0 and 2 cross at (0.5, 0.5)
    const bow: Ring = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]];
    expect(findRingSelfIntersection(bow)).toEqual({ edge: 0, other: 2 });
  });

  it('a ring that visits a point twice (pinch) and a spike folding back are caught', () => {
    const pinch: Ring = [[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]];
    expect(findRingSelfIntersection(pinch)).not.toBeNull();
    const spike: Ring = [[0, 0], [2, 0], [2, 1], [3, 1], [2, 1], [2, 2], [0, 2], [0, 0]];
    expect(findRingSelfIntersection(spike)).not.toBeNull();
  });

  it('consecutive duplicate points are ignored, and indices still point into the ring as given', () => {
    const dup: Ring = [[0, 0], [0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    expect(findRingSelfIntersection(dup)).toBeNull();
    const bow: Ring = [[0, 0], [0, 0], [1, 1], [1, 0], [1, 0], [0, 1], [0, 0]];
    const hit = findRingSelfIntersection(bow)!;
    // the crossing edges start at positions 1 ((0,0)→(1,1)) and 4 ((1,0)→(0,1))
    expect(hit).toEqual({ edge: 1, other: 4 });
  });

  it('agrees with the brute-force check on 2,000 random rings', () => {
    const r = rng(7);
    let crossing = 0;
    for (let k = 0; k < 2000; k++) {
      const n = 4 + Math.floor(r() * 12);
      const ring: Position[] = [];
      for (let i = 0; i < n; i++) ring.push([Math.round(r() * 20), Math.round(r() * 20)]);
      const distinct = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
      if (distinct.length < 4 || (distinct[0][0] === distinct.at(-1)![0] && distinct[0][1] === distinct.at(-1)![1])) continue;
      distinct.push(distinct[0]);
      // rings with adjacent edges folding back are special-cased; keep to rings without them
      const expected = bruteForce(distinct);
      const got = findRingSelfIntersection(distinct) !== null;
      if (!expected) expect(got).toBe(false);
      else crossing++;
      if (expected) expect(got).toBe(true);
    }
    expect(crossing).toBeGreaterThan(500);
  });
});

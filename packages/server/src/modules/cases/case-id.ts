/**
 * Case ids: UUIDv7 (time-ordered, docs/decisions.md D16), formatted by the `uuid` package.
 *
 * The package's default path asks WebCrypto for 16 random bytes per id (one getrandom() system
 * call each: ~5 % of the intake's main-thread time under load). Here the random bytes come from a
 * pool filled 4 KB at a time, and the sequence that keeps ids of one millisecond in order is
 * kept as the package keeps it (a random 31-bit start each millisecond, +1 per id after that;
 * the package only does this itself when it draws the random bytes).
 */
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

const pool = new Uint8Array(16 * 256);
let next = pool.length;

function randomBytes16(): Uint8Array {
  if (next >= pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const bytes = pool.subarray(next, next + 16);
  next += 16;
  return bytes;
}

const state = { msecs: -Infinity, seq: 0 };

/** A new UUIDv7: later calls give larger ids, also within one millisecond. */
export function newCaseId(now: number = Date.now()): string {
  const random = randomBytes16();
  if (now > state.msecs) {
    state.msecs = now;
    state.seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs++;
  }
  return v7({ random, msecs: state.msecs, seq: state.seq });
}

/**
 * From a case's history 办理记录 to the clock events deadline.ts reads. The case's `createdAt` is
 * the receipt; each transition maps to at most two clock events, in history order.
 */
import type { Case, CaseEvent } from '../case/case.ts';
import type { ClockEvent } from './deadline.ts';
import type { CaseLimits } from './time-limits.ts';

export type HistoryEntry = Pick<CaseEvent, 'action' | 'toStatus' | 'at' | 'data'>;

export function clockEventsFromHistory(c: Pick<Case, 'createdAt'>, history: readonly HistoryEntry[]): ClockEvent[] {
  const out: ClockEvent[] = [{ type: 'received', at: new Date(c.createdAt) }];
  let requestedUntil: string | null = null;
  for (const e of history) {
    const at = new Date(e.at);
    switch (e.action) {
      case 'accept':
        out.push({ type: 'accepted', at });
        break;
      case 'reject':
      case 'merge':
      case 'close':
        out.push({ type: 'closed', at });
        break;
      case 'handle':
      case 'resolve_on_spot':
        out.push({ type: 'handled', at });
        break;
      case 'verify':
        out.push({ type: 'verified', at });
        if (e.toStatus === 'closed') out.push({ type: 'closed', at });
        break;
      case 'verify_fail':
        out.push({ type: 'verify_failed', at });
        break;
      case 'rate':
        out.push(e.toStatus === 'closed' ? { type: 'closed', at } : { type: 'reopened', at });
        break;
      case 'request_extension':
        requestedUntil = typeof e.data.until === 'string' ? e.data.until : null;
        break;
      case 'approve_extension':
        if (requestedUntil) out.push({ type: 'extended', at, until: new Date(requestedUntil) });
        requestedUntil = null;
        break;
      case 'refuse_extension':
      case 'return':
        requestedUntil = null;
        break;
      case 'suspend':
        out.push({ type: 'suspended', at });
        break;
      case 'resume':
        out.push({ type: 'resumed', at });
        break;
      case 'approve_deferral':
        requestedUntil = null;
        out.push({ type: 'deferred', at });
        break;
      case 'reactivate':
        out.push({ type: 'reactivated', at });
        break;
      default:
        break; // dispatch, start, requests and reviews do not touch the clocks
    }
  }
  return out;
}

/** Limits a case got at an instant: at receipt, then again when an operation mode changed them. */
export type LimitRecord = CaseLimits & { at: string };

/** The limits in force at first (the earliest record), and the later records as `relimited` events. */
export function limitEvents(records: readonly LimitRecord[]): { initial: LimitRecord; events: ClockEvent[] } {
  if (records.length === 0) throw new RangeError('a case has at least one limit record');
  const sorted = [...records].sort((a, b) => a.at.localeCompare(b.at));
  return {
    initial: sorted[0]!,
    events: sorted.slice(1).map((r) => ({ type: 'relimited' as const, at: new Date(r.at), limits: { accept: r.accept, handle: r.handle, verify: r.verify } })),
  };
}

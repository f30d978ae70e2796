/**
 * The sweep's batch writer: what firing a batch of timers writes besides the deadline records —
 * history entries, escalation-log rows, each case's version, notifications — is gathered in memory
 * and written at the end of the batch in a few multi-row statements, inside the same transaction.
 * A case whose firing fails is reset to its mark, so nothing of it is written.
 */
import type { CaseEvent } from '@gridloop/domain';
import type { Executor } from '../cases/case.repository.ts';
import { NotificationSink } from '../notifications/notification.service.ts';
import type { EscalationEntry } from './deadline.repository.ts';
import { bumpCaseVersionTo, insertCaseEvents, insertEscalations } from './deadline.repository.ts';

export interface Mark {
  caseId: string;
  notifications: number;
  events: number;
  escalations: number;
  bump: { from: number; to: number; at: string } | undefined;
}

export class BatchWriter {
  readonly notifications = new NotificationSink();
  #events: CaseEvent[] = [];
  #escalations: EscalationEntry[] = [];
  #bumps = new Map<string, { from: number; to: number; at: string }>();

  mark(caseId: string): Mark {
    return { caseId, notifications: this.notifications.mark(), events: this.#events.length, escalations: this.#escalations.length, bump: this.#bumps.get(caseId) };
  }

  reset(m: Mark): void {
    this.notifications.reset(m.notifications);
    this.#events.length = m.events;
    this.#escalations.length = m.escalations;
    if (m.bump) this.#bumps.set(m.caseId, m.bump);
    else this.#bumps.delete(m.caseId);
  }

  /** A history entry; the case's version goes from its first known value to the entry's seq. */
  event(e: CaseEvent, fromVersion: number): void {
    const b = this.#bumps.get(e.caseId);
    this.#bumps.set(e.caseId, { from: b?.from ?? fromVersion, to: e.seq, at: e.at });
    this.#events.push(e);
  }

  escalation(e: EscalationEntry): void {
    this.#escalations.push(e);
  }

  /** Writes everything gathered; returns the ids of the notifications written. */
  async flush(db: Executor): Promise<Set<string>> {
    for (const [caseId, b] of this.#bumps) {
      if (!(await bumpCaseVersionTo(db, caseId, b.from, b.to, b.at))) throw new Error(`case ${caseId} changed while its timers fired`);
    }
    await insertCaseEvents(db, this.#events);
    await insertEscalations(db, this.#escalations);
    this.#bumps.clear();
    this.#events = [];
    this.#escalations = [];
    return this.notifications.flush(db);
  }
}

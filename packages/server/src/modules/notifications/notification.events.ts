/**
 * The domain events the Deadlines capability adds to the bus (declaration merging into
 * DomainEvents), and the outbox a command fills inside its transaction and publishes after COMMIT:
 * nothing is announced that was not durably written.
 */
import type { Case, CaseEvent, EscalationLevel, EscalationReason, Stage } from '@gridloop/domain';
import type { EventBus } from '../../events/event-bus.ts';
import type { NotificationRecord } from './notification.repository.ts';

export interface DeadlineSignal {
  caseId: string;
  stage: Stage;
  dueAt: string;
  at: string;
}

export interface EscalationSignal {
  caseId: string;
  from: EscalationLevel | null;
  to: EscalationLevel;
  reason: EscalationReason;
  at: string;
}

declare module '../../events/event-bus.ts' {
  interface DomainEvents {
    /** Yellow 预警: a deadline's warning instant passed. */
    'deadline.warning': DeadlineSignal;
    /** Red 超期: a deadline passed. */
    'deadline.overdue': DeadlineSignal;
    /** A case changed level (climbed or was sent down). */
    'case.escalated': EscalationSignal;
    /** A notification reached a user's inbox (the stream and the channels listen). */
    'notification.created': { notification: NotificationRecord };
  }
}

export interface Outbox {
  caseEvents: { case: Case; event: CaseEvent }[];
  warnings: DeadlineSignal[];
  overdue: DeadlineSignal[];
  escalations: EscalationSignal[];
  notifications: NotificationRecord[];
}

export const newOutbox = (): Outbox => ({ caseEvents: [], warnings: [], overdue: [], escalations: [], notifications: [] });

export function mergeOutbox(into: Outbox, from: Outbox): void {
  into.caseEvents.push(...from.caseEvents);
  into.warnings.push(...from.warnings);
  into.overdue.push(...from.overdue);
  into.escalations.push(...from.escalations);
  into.notifications.push(...from.notifications);
}

/** Announce what a committed transaction wrote. */
export function publish(bus: EventBus, out: Outbox): void {
  for (const e of out.caseEvents) bus.emit('case.transitioned', e);
  for (const s of out.warnings) bus.emit('deadline.warning', s);
  for (const s of out.overdue) bus.emit('deadline.overdue', s);
  for (const s of out.escalations) bus.emit('case.escalated', s);
  for (const n of out.notifications) bus.emit('notification.created', { notification: n });
}

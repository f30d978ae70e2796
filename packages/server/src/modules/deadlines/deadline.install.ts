/**
 * Wiring of the Deadlines capability into an app (called by buildApp): the intake handler that
 * gives each new case its deadline record, delivery of notifications to the channels, and the
 * worker that sweeps timers — started when the server listens (tests drive the sweep themselves),
 * stopped on close after the work in flight.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.ts';
import { createDeadlineSweep } from '../../jobs/deadline-sweep.ts';
import { type Worker, startWorker } from '../../jobs/worker.ts';
import type { NotificationChannel } from '../notifications/notification.channels.ts';
import { LoggingChannel, deliver } from '../notifications/notification.channels.ts';
import type { NotificationRecord } from '../notifications/notification.repository.ts';
import { contactsOf } from '../notifications/notification.repository.ts';
import { publish } from '../notifications/notification.events.ts';
import { DeadlineEngine } from './deadline.engine.ts';

export interface DeadlineOptions {
  /** The timer sweep: false never runs it here; default every 2 s once the server listens. */
  jobs?: false | { intervalMs?: number };
  /** Where notifications are pushed besides the inbox; default: the log. */
  channels?: NotificationChannel[];
}

export function installDeadlines(app: FastifyInstance, ctx: AppContext, opts: DeadlineOptions = {}): void {
  const { database, clock, events } = ctx;
  const engine = new DeadlineEngine(database, clock);
  const inflight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };

  // A new case gets its deadline record (and its start level) right after intake's commit; the
  // sweep's repair step covers a crash in between.
  const offs = [
    events.on('case.reported', ({ case: c }) => {
      track(
        database
          .write((trx) => engine.ensure(trx, c.id))
          .then((out) => publish(events, out))
          .catch((error: unknown) => app.log.error({ err: error, caseId: c.id }, 'deadline record not created (the sweep will repair it)')),
      );
    }),
  ];

  // Channels: notifications written in this process, delivered in small batches.
  const channels = opts.channels ?? [new LoggingChannel((fields, msg) => app.log.info(fields, msg))];
  let queue: NotificationRecord[] = [];
  const flush = () => {
    const list = queue;
    queue = [];
    track(
      contactsOf(database.db, [...new Set(list.map((n) => n.userId))])
        .then((contacts) => deliver(channels, list, contacts, (f, m) => app.log.warn(f, m)))
        .catch((error: unknown) => app.log.warn({ err: error }, 'notification delivery failed')),
    );
  };
  offs.push(events.on('notification.created', ({ notification }) => {
    if (queue.length === 0) setImmediate(flush);
    queue.push(notification);
  }));

  let worker: Worker | null = null;
  const jobs = opts.jobs;
  if (jobs !== false) {
    app.addHook('onListen', async () => {
      const sweep = createDeadlineSweep({ database, clock, events, log: (f, m) => app.log.warn(f, m) });
      worker = startWorker(sweep, { intervalMs: jobs?.intervalMs, onError: (error) => app.log.error({ err: error }, 'deadline sweep failed') });
    });
  }
  app.addHook('onClose', async () => {
    await worker?.stop();
    for (const off of offs) off();
    while (inflight.size) await Promise.allSettled([...inflight]);
  });
}

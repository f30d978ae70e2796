import { EventEmitter } from 'node:events';
import type { Case, CaseEvent } from '@gridloop/domain';

/** Domain events 领域事件: side effects (notifications, live screen, rollups) subscribe here. */
export interface DomainEvents {
  'case.reported': { case: Case; event: CaseEvent };
  'case.transitioned': { case: Case; event: CaseEvent };
}

export interface EventBus {
  emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void;
  on<K extends keyof DomainEvents>(name: K, handler: (payload: DomainEvents[K]) => void): () => void;
}

/** In-process bus. A handler's failure is logged by the caller's logger, never breaks the command. */
export function createEventBus(onHandlerError: (error: unknown) => void = () => {}): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  return {
    emit(name, payload) {
      for (const h of emitter.listeners(name)) {
        try {
          (h as (p: unknown) => void)(payload);
        } catch (error) {
          onHandlerError(error);
        }
      }
    },
    on(name, handler) {
      emitter.on(name, handler);
      return () => emitter.off(name, handler);
    },
  };
}

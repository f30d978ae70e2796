/** Expected failures are named outcomes, not exceptions: routes map `code` to an HTTP status. */
export interface DomainError {
  /** Machine code, e.g. `invalid_transition`, `forbidden`, `field_required`. */
  code: string;
  message: string;
  message_zh: string;
  /** Extra machine-readable detail (field names, allowed actions…). */
  details?: Record<string, unknown>;
}

export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = (code: string, message: string, message_zh: string, details?: Record<string, unknown>): Result<never> => ({
  ok: false,
  error: details ? { code, message, message_zh, details } : { code, message, message_zh },
});

/**
 * The one validated configuration, read from the environment once at start-up. A bad value stops
 * the process with a `ConfigError` naming the variable and what it accepts.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  /** Directory for the SQLite file and uploads. */
  dataDir: string;
  /** PostgreSQL URL; null means SQLite in `dataDir`. */
  databaseUrl: string | null;
  logLevel: LogLevel;
  /** Largest accepted upload (GRIDLOOP_UPLOAD_MAX_MB), in bytes. */
  uploadMaxBytes: number;
  /** Largest accepted JSON request body (GRIDLOOP_BODY_MAX_KB), in bytes. */
  bodyLimitBytes: number;
}

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

type Env = Record<string, string | undefined>;

/** An unset or blank variable counts as absent (container environments often pass `FOO=`). */
function read(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `${name}=${JSON.stringify(raw)} is invalid: expected an integer from ${min} to ${max} (default ${fallback})`);
  }
  return value;
}

function databaseUrl(env: Env): string | null {
  const raw = read(env, 'DATABASE_URL');
  if (raw === undefined) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname) {
    // Never echo the value: it may carry a password.
    throw new ConfigError('DATABASE_URL', 'DATABASE_URL is invalid: expected postgres://user@host:port/database or postgresql://…, or leave it unset for SQLite');
  }
  return raw;
}

function logLevel(env: Env): LogLevel {
  const raw = read(env, 'LOG_LEVEL');
  if (raw === undefined) return 'info';
  const level = raw.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError('LOG_LEVEL', `LOG_LEVEL=${JSON.stringify(raw)} is invalid: expected one of ${LOG_LEVELS.join(', ')} (default info)`);
  }
  return level as LogLevel;
}

export function loadConfig(env: Env = process.env): Config {
  return {
    port: integer(env, 'PORT', 3000, 1, 65535),
    host: read(env, 'HOST') ?? '0.0.0.0',
    dataDir: read(env, 'GRIDLOOP_DATA_DIR') ?? './data',
    databaseUrl: databaseUrl(env),
    logLevel: logLevel(env),
    uploadMaxBytes: integer(env, 'GRIDLOOP_UPLOAD_MAX_MB', 10, 1, 1024) * 1024 * 1024,
    bodyLimitBytes: integer(env, 'GRIDLOOP_BODY_MAX_KB', 1024, 1, 102_400) * 1024,
  };
}

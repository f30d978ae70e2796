import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      dataDir: './data',
      databaseUrl: null,
      logLevel: 'info',
      uploadMaxBytes: 10 * 1024 * 1024,
      bodyLimitBytes: 1024 * 1024,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      GRIDLOOP_DATA_DIR: '/var/lib/gridloop',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test',
      LOG_LEVEL: 'DEBUG',
      GRIDLOOP_UPLOAD_MAX_MB: '25',
      GRIDLOOP_BODY_MAX_KB: '64',
    });
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/var/lib/gridloop',
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/test',
      logLevel: 'debug',
      uploadMaxBytes: 25 * 1024 * 1024,
      bodyLimitBytes: 64 * 1024,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db/x' }).databaseUrl).toBe('postgres://u:p@db/x');
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ', LOG_LEVEL: '' })).toMatchObject({ port: 3000, databaseUrl: null, logLevel: 'info' });
  });

  it.each([
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80a'],
    ['PORT', '-1'],
    ['PORT', '3000.5'],
    ['PORT', '1e3'],
    ['GRIDLOOP_UPLOAD_MAX_MB', '0'],
    ['GRIDLOOP_UPLOAD_MAX_MB', 'ten'],
    ['GRIDLOOP_BODY_MAX_KB', '999999999'],
    ['LOG_LEVEL', 'verbose'],
    ['DATABASE_URL', 'mysql://root@localhost/db'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'postgres://'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    const error = errorOf({ [name]: value });
    expect(error.variable).toBe(name);
    expect(error.message).toContain(name);
  });

  it('says what is accepted', () => {
    expect(errorOf({ PORT: 'x' }).message).toMatch(/integer from 1 to 65535/);
    expect(errorOf({ LOG_LEVEL: 'loud' }).message).toMatch(/fatal, error, warn, info, debug, trace, silent/);
    expect(errorOf({ DATABASE_URL: 'sqlite://x' }).message).toMatch(/postgres:\/\//);
  });

  it('never echoes a database URL (it may hold a password)', () => {
    expect(errorOf({ DATABASE_URL: 'mysql://root:s3cret@db/x' }).message).not.toContain('s3cret');
  });
});

import { ConfigError } from '../../config.ts';
import type { GeoIndexOptions } from './flatbush-geo-index.ts';

/** Default snapping distance (D11): a point at most this far outside every grid lands on the nearest. */
export const DEFAULT_NEAREST_WITHIN_M = 50;

/**
 * The geo index's settings from the environment: GRIDLOOP_GEO_NEAREST_M (0–10,000 m, default
 * 50; 0 turns snapping off). A bad value stops start-up with a ConfigError naming the variable.
 */
export function geoIndexOptionsFromEnv(env: Record<string, string | undefined> = process.env): GeoIndexOptions {
  const raw = env.GRIDLOOP_GEO_NEAREST_M?.trim();
  if (raw === undefined || raw === '') return { nearestWithinM: DEFAULT_NEAREST_WITHIN_M };
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value < 0 || value > 10_000) {
    throw new ConfigError('GRIDLOOP_GEO_NEAREST_M', `GRIDLOOP_GEO_NEAREST_M=${JSON.stringify(raw)} is invalid: expected metres from 0 to 10000 (default ${DEFAULT_NEAREST_WITHIN_M})`);
  }
  return { nearestWithinM: value };
}

/**
 * The geo index's build thread (started through geo-index-worker.boot.mjs): receives rows as
 * `{ type: 'rows', kinds, geometries }` (GeoJSON text), parses them, and on `{ type: 'build' }`
 * packs the index and sends it back as `{ type: 'built', packed }` with every ArrayBuffer
 * transferred (no copy), or `{ type: 'failed', message }`. Unit i is the i-th row received; a
 * row whose geometry does not parse stays a unit without parts, so indices match the sender's.
 */
import { parentPort } from 'node:worker_threads';
import { type MultiPolygon, parsePolygonal } from '@gridloop/domain';
import { type GeoUnit, packGeoIndex, packedGeoIndexBuffers } from './flatbush-geo-index.ts';

export type GeoWorkerRequest = { type: 'rows'; kinds: GeoUnit['kind'][]; geometries: string[] } | { type: 'build' };

const port = parentPort;
if (!port) throw new Error('geo-index.worker.ts runs as a worker thread');
const units: { kind: GeoUnit['kind']; polygon: MultiPolygon }[] = [];

port.on('message', (m: GeoWorkerRequest) => {
  if (m.type === 'rows') {
    for (let i = 0; i < m.kinds.length; i++) units.push({ kind: m.kinds[i], polygon: parsePolygonal(m.geometries[i]) ?? [] });
    return;
  }
  try {
    const packed = packGeoIndex(units);
    units.length = 0;
    port.postMessage({ type: 'built', packed }, packedGeoIndexBuffers(packed));
  } catch (error) {
    port.postMessage({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

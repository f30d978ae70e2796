/**
 * Memory probe for the geo index (run by the geo bench in a child process, `node --expose-gc`):
 * reads grid rows as the database would give them — one `code<TAB>GeoJSON geometry` line each —
 * builds the index as the server does, drops everything else, collects garbage and prints one
 * JSON line: the process's RSS and heap with the index loaded, and the load time.
 *   node --expose-gc --import <tsx> geo-index-probe.ts FILE
 */
import { readFileSync } from 'node:fs';
import { parsePolygonal } from '@gridloop/domain';
import { type GeoUnit, buildGeoIndex } from './flatbush-geo-index.ts';

const gc = (globalThis as { gc?: () => void }).gc;

function main(file: string): void {
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  let units: GeoUnit[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const polygon = parsePolygonal(line.slice(tab + 1));
    if (polygon) units.push({ code: line.slice(0, tab), kind: 'grid', polygon });
  }
  const grids = units.length;
  const index = buildGeoIndex(units);
  const loadMs = performance.now() - started;
  units = [];
  gc?.();
  gc?.();
  const mem = process.memoryUsage();
  // The index is alive and answers (keeps it from being collected before the measurement).
  let found = 0;
  for (let i = 0; i < 1000; i++) if (index.locate(114 + i * 1e-4, 34)) found++;
  process.stdout.write(`${JSON.stringify({ grids, parts: index.size, rssMb: mem.rss / 1048576, heapMb: mem.heapUsed / 1048576, arrayBuffersMb: mem.arrayBuffers / 1048576, baselineRssMb: baseline / 1048576, loadMs, found, gc: !!gc })}\n`);
}

main(process.argv[2]);

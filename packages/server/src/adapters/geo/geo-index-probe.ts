/**
 * Memory probe for the geo index (run by the geo bench in a child process, `node --expose-gc`):
 * reads grid rows as the database would give them — one `code<TAB>GeoJSON geometry` line each,
 * a page of 2,000 at a time, each code its own string (a driver's row strings do not share one
 * big buffer) — builds the index as the server does (GeoIndexBuild: parsed and packed on a
 * worker thread, the arrays transferred back), drops everything else, collects garbage and
 * prints one JSON line: the process's RSS and heap with the index loaded, the index's own typed
 * arrays (indexMb; transferred buffers do not show in arrayBuffers), and the load time.
 *   node --expose-gc --import <tsx> geo-index-probe.ts FILE
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { FlatbushGeoIndex } from './flatbush-geo-index.ts';
import { GeoIndexBuild } from './geo-index-build.ts';

const gc = (globalThis as { gc?: () => void }).gc;
const PAGE = 2000;

async function main(file: string): Promise<void> {
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  const build = new GeoIndexBuild();
  let page: { code: string; kind: 'grid'; geometry: string }[] = [];
  let grids = 0;
  // a page at a time, as loadGeoIndex reads the database
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    page.push({ code: Buffer.from(line.slice(0, tab)).toString(), kind: 'grid', geometry: line.slice(tab + 1) });
    grids++;
    if (page.length === PAGE) {
      build.add(page);
      page = [];
    }
  }
  build.add(page);
  page = [];
  const onWorker = build.onWorker;
  const index = await build.finish();
  const loadMs = performance.now() - started;
  gc?.();
  gc?.();
  const mem = process.memoryUsage();
  // The index is alive and answers (keeps it from being collected before the measurement).
  let found = 0;
  for (let i = 0; i < 1000; i++) if (index.locate(114 + i * 1e-4, 34)) found++;
  const indexMb = index instanceof FlatbushGeoIndex ? index.bytes / 1048576 : null;
  process.stdout.write(`${JSON.stringify({ grids, parts: index.size, indexMb, rssMb: mem.rss / 1048576, heapMb: mem.heapUsed / 1048576, arrayBuffersMb: mem.arrayBuffers / 1048576, baselineRssMb: baseline / 1048576, loadMs, found, onWorker, gc: !!gc })}\n`);
}

await main(process.argv[2]);

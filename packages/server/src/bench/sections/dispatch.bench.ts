import { seededRandom } from '@gridloop/domain';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { type Case, CATEGORIES, cellsAround, cellOf, familyOf, placeOfCode, SIMILAR_DEFAULTS } from '@gridloop/domain';
import { benchClassifier } from '../../adapters/classifier/classifier.bench.ts';
import { migrateToLatest, openDatabase } from '../../adapters/db/database.ts';
import { candidatesQuery, findIndexRow, type IndexRow } from '../../modules/dispatch/similar.repository.ts';
import { createSimilarService } from '../../modules/dispatch/similar.service.ts';
import type { BenchSection } from '../bench.types.ts';


const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const YEAR_MS = 365 * 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const BBOX = { minLng: 113.45, maxLng: 114.35, minLat: 33.28, maxLat: 33.98 }; // Luohe
const VOCAB = '垃圾清运堆积占道经营噪音扰民路灯井盖停水漏水供暖物业电梯违建油烟污水广告牌流浪狗绿化施工拖欠工资'.match(/../g)!;

/**
 * A city of cases: 70 % around 300 hot spots (σ ≈ 800 m: markets, old compounds, school gates),
 * 30 % anywhere; created over one year; category by the demo's mix.
 */
function makeCases(n: number, seed: number) {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const spots = Array.from({ length: 300 }, () => ({
    lng: BBOX.minLng + random() * (BBOX.maxLng - BBOX.minLng), lat: BBOX.minLat + random() * (BBOX.maxLat - BBOX.minLat),
  }));
  const categories = CATEGORIES.filter((c) => !c.emergency);
  const point = () => {
    if (random() < 0.7) {
      const s = spots[Math.floor(random() * spots.length)];
      return { lng: s.lng + (gauss() * 800) / 93_000, lat: s.lat + (gauss() * 800) / 111_320 };
    }
    return { lng: BBOX.minLng + random() * (BBOX.maxLng - BBOX.minLng), lat: BBOX.minLat + random() * (BBOX.maxLat - BBOX.minLat) };
  };
  const features = () => Array.from({ length: 12 }, () => `b:${VOCAB[Math.floor(random() * VOCAB.length)]}`).join(' ');
  return { random, point, features, category: () => categories[Math.floor(random() * categories.length)].id, at: () => new Date(T0 + random() * YEAR_MS).toISOString(), n };
}

/**
 * dispatch.top1 / top3 / classify_per_s: the classifier on its held-out split (classifier.bench.ts);
 * baseline.jieba_tokenize_per_s: tokenising the same texts alone, and the ratio.
 * similar.candidates_ms_p95: 1,000 similar-case lookups (SQL through the repository + distance
 * filter + scoring) with 1,000,000 cases in the index table of a scratch SQLite file; beside it the
 * same SQL without the index (NOT INDEXED, fewer runs) and a primary-key lookup through the same stack.
 */
export const dispatchBench: BenchSection = {
  name: 'dispatch',
  async run(ctx) {
    const out: Record<string, number | string | null> = {};
    const cls = await benchClassifier({ seconds: ctx.quick ? 1 : 3, log: (l) => ctx.log(`  ${l.replaceAll('\n', '\n  ')}`) });
    out['dispatch.top1'] = Math.round(cls.top1 * 1000) / 1000;
    out['dispatch.top3'] = Math.round(cls.top3 * 1000) / 1000;
    out['dispatch.classify_per_s'] = cls.classifyPerSecond;
    out['baseline.jieba_tokenize_per_s'] = cls.tokenizePerSecond;
    out['dispatch.classify_ratio_vs_tokenize'] = Math.round((cls.classifyPerSecond / cls.tokenizePerSecond) * 1000) / 1000;

    const rows = ctx.quick ? 100_000 : 1_000_000;
    const dataDir = join(ctx.scratchDir, 'similar');
    const setup = await openDatabase({ dataDir });
    await migrateToLatest(setup);
    await setup.close();

    // Bulk load (setup, not measured): indexes dropped, rows inserted in one transaction, indexes rebuilt.
    const t0 = performance.now();
    const raw = new BetterSqlite3(join(dataDir, 'gridloop.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = OFF');
    const indexes = raw.prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'dispatch_case_index' and sql is not null").all() as { name: string; sql: string }[];
    for (const i of indexes) raw.exec(`drop index ${i.name}`);
    const gen = makeCases(rows, 20261123);
    const insert = raw.prepare('insert into dispatch_case_index (case_id, family, category, bucket, grid_code, lng, lat, status, created_at, closed_at, features) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    raw.transaction(() => {
      for (let i = 0; i < rows; i++) {
        const p = gen.point();
        const category = gen.category();
        const createdAt = gen.at();
        const closed = gen.random() < 0.6;
        insert.run(`c${i}`, familyOf(category), category, cellOf(p.lng, p.lat), null, p.lng, p.lat, closed ? 'closed' : 'dispatched', createdAt, closed ? new Date(Date.parse(createdAt) + 5 * 86_400_000).toISOString() : null, gen.features());
      }
    })();
    for (const i of indexes) raw.exec(i.sql);
    raw.exec('analyze');
    const plan = raw.prepare(`explain query plan ${candidatesQuery(setup.db, { family: 'city', buckets: ['1:1', '1:2'], from: 'a', to: 'b' }).compile().sql}`).all('city', '1:1', '1:2', 'a', 'b', 500) as { detail: string }[];
    raw.close();
    ctx.log(`  loaded ${rows.toLocaleString('en-US')} index rows in ${((performance.now() - t0) / 1000).toFixed(1)} s; plan: ${plan.map((p) => p.detail).join(' / ')}`);

    const database = await openDatabase({ dataDir });
    const similar = createSimilarService({ database, clock: { now: () => new Date() } });
    // Probes from the same city (same hot spots), new points and times.
    const q = makeCases(1000, 20261123);
    for (let i = 0; i < 12_345; i++) q.random();
    const probes = Array.from({ length: 1000 }, (_, i) => {
      const p = q.point();
      const category = q.category();
      const createdAt = q.at();
      const place = placeOfCode('411102001001G01')!;
      const c = { id: `probe${i}`, category, lng: p.lng, lat: p.lat, createdAt, place, nodeCode: place.gridCode!, description: '', status: 'reported' } as unknown as Case;
      const row: IndexRow = { caseId: c.id, family: familyOf(category), category, bucket: cellOf(p.lng, p.lat), gridCode: null, lng: p.lng, lat: p.lat, status: 'reported', createdAt, closedAt: null, features: q.features().split(' ') };
      return { c, row };
    });
    const window = SIMILAR_DEFAULTS.windowDays * 86_400_000;
    const sqlOf = (pr: (typeof probes)[number]) => ({
      family: pr.row.family, buckets: cellsAround(pr.c.lng!, pr.c.lat!, SIMILAR_DEFAULTS.radiusM),
      from: new Date(Date.parse(pr.c.createdAt) - window).toISOString(), to: new Date(Date.parse(pr.c.createdAt) + window).toISOString(),
    });
    for (const pr of probes.slice(0, 100)) await similar.candidatesFor(pr.c, {}, pr.row); // warm-up

    const full: number[] = [];
    let found = 0;
    for (const pr of probes) {
      const s = performance.now();
      found += (await similar.candidatesFor(pr.c, { limit: 50 }, pr.row)).length;
      full.push(performance.now() - s);
    }
    const sqlOnly: number[] = [];
    let fetched = 0;
    for (const pr of probes) {
      const s = performance.now();
      fetched += (await candidatesQuery(database.db, sqlOf(pr)).execute()).length;
      sqlOnly.push(performance.now() - s);
    }
    const pk: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const s = performance.now();
      await findIndexRow(database.db, `c${Math.floor(gen.random() * rows)}`);
      pk.push(performance.now() - s);
    }
    const scan: number[] = [];
    for (const pr of probes.slice(0, ctx.quick ? 5 : 20)) {
      const compiled = candidatesQuery(database.db, sqlOf(pr)).compile();
      const s = performance.now();
      await database.db.executeQuery(CompiledQuery.raw(compiled.sql.replace('from "dispatch_case_index"', 'from "dispatch_case_index" not indexed'), [...compiled.parameters]));
      scan.push(performance.now() - s);
    }
    await database.close();
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    ctx.log(`  ${(fetched / probes.length).toFixed(1)} rows fetched and ${(found / probes.length).toFixed(1)} candidates kept per lookup (radius ${SIMILAR_DEFAULTS.radiusM} m, ±${SIMILAR_DEFAULTS.windowDays} days, same family)`);
    out['similar.rows'] = rows;
    out['similar.candidates_ms_p95'] = r3(p95(full));
    out['similar.query_ms_p95'] = r3(p95(sqlOnly));
    out['baseline.similar_pk_lookup_ms_p95'] = r3(p95(pk));
    out['baseline.similar_no_index_ms_p95'] = r3(p95(scan));
    return out;
  },
};

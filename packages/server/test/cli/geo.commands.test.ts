import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateToLatest, openDatabase } from '../../src/adapters/db/database.ts';
import { runGeoCommand } from '../../src/cli/geo.commands.ts';
import { UsageError } from '../../src/cli/main.ts';
import { T, seedTerritory, testConfig } from '../helpers/app.ts';
import type { TestDatabase } from '../helpers/databases.ts';

const ring = (x0: number, y0: number, s: number) => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]];

describe('geography commands', () => {
  let dir: string;
  const config = () => testConfig({ dataDir: dir });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridloop-geo-cli-'));
    const database = await openDatabase({ dataDir: dir });
    await migrateToLatest(database);
    await seedTerritory(database as TestDatabase);
    await database.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(command: string, args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      return { code: await runGeoCommand(command, args, config), out: lines.join('') };
    } finally {
      spy.mockRestore();
    }
  }

  it('import-grids: a dry run, a rejected file (exit 1, located errors), then the import', async () => {
    const file = join(dir, 'grids.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { WGBM: `${T.otherVillage}G02`, WGMC: '二网格' }, geometry: { type: 'Polygon', coordinates: [ring(114.2, 33.6, 0.005)] } },
    ] }));
    const dry = await run('import-grids', [file, '--map', 'code=WGBM,name=WGMC', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('1 features, 1 valid — dry run — nothing written');
    const bad = join(dir, 'bad.geojson');
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: `${T.otherVillage}G03` }, geometry: { type: 'Polygon', coordinates: [ring(114.2, 33.6, 0.005).slice(0, 4)] } }] }));
    const rejected = await run('import-grids', [bad]);
    expect(rejected.code).toBe(1);
    expect(rejected.out).toContain('REJECTED');
    expect(rejected.out).toContain('ERROR unclosed_ring [feature 0, 411103001001G03, polygon 0, ring 0, position 3]');
    const real = await run('import-grids', [file, '--map', 'code=WGBM,name=WGMC']);
    expect(real.out).toContain('imported: 1 created, 0 updated');
  });

  it('export-grids, coverage and oversized', async () => {
    const out = join(dir, 'export.geojson');
    await run('export-grids', [T.otherVillage, '--crs', 'BD09', '--out', out]);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.features.map((f: { id: string }) => f.id)).toEqual([T.otherGrid, `${T.otherVillage}G02`]);
    const cov = await run('coverage', [T.otherVillage, '--geojson', join(dir, 'cov.geojson')]);
    expect(cov.code).toBe(1); // the new grid overlaps the seeded one
    expect(cov.out).toContain('overlaps 重叠');
    expect(JSON.parse(readFileSync(join(dir, 'cov.geojson'), 'utf8')).features[0].properties.kind).toBe('overlap');
    const big = await run('oversized', [T.city]);
    expect(big.out).toContain('Oversized grids 超大网格 under 4111: 3 of 4');
    await expect(run('coverage', [])).rejects.toThrow(UsageError);
    await expect(run('export-grids', ['411102', '--crs', 'EPSG3857'])).rejects.toThrow(UsageError);
  });
});

import type { Dialect } from '../../../src/adapters/db/database.ts';
import { importRegions } from '../../../src/modules/territory/region-import.ts';
import { type GenerateResult, generateTerritoryGeometry } from '../../../src/modules/territory/territory-generate.ts';
import { type TestDatabase, createTestDatabase } from '../../helpers/databases.ts';

/** Luohe 漯河 (city 4111): the seeds' figure is 9,660 grids over its 1,334 villages. */
export const LUOHE = { city: '4111', grids: 9660, villages: 1334, townships: 58, seed: 42 } as const;

/** A fresh database with Luohe imported and, unless told otherwise, its demo geography generated. */
export async function luoheDatabase(dialect: Dialect, generate = true): Promise<{ database: TestDatabase; generated: GenerateResult | null }> {
  const database = await createTestDatabase(dialect);
  try {
    await importRegions(database, { cityCode: LUOHE.city });
    const generated = generate
      ? await generateTerritoryGeometry(database, LUOHE.city, { gridsTotal: LUOHE.grids, seed: LUOHE.seed, now: new Date('2026-01-01T00:00:00Z') })
      : null;
    return { database, generated };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

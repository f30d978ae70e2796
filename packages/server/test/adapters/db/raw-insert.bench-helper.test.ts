import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureRawSqliteInsert } from '../../../src/adapters/db/raw-insert.bench-helper.ts';

describe('measureRawSqliteInsert', () => {
  it('measures raw and grouped durable inserts and cleans up its scratch files', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridloop-bench-'));
    try {
      const r = await measureRawSqliteInsert({ dataDir, rows: 200, concurrency: 32 });
      expect(r.rows).toBe(200);
      expect(r.rowsPerSecond).toBeGreaterThan(0);
      expect(r.groupedRowsPerSecond).toBeGreaterThan(0);
      // 32 clients in flight: grouping must need far fewer commits than rows
      expect(r.groupedCommits).toBeGreaterThan(0);
      expect(r.groupedCommits).toBeLessThan(r.rows / 4);
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

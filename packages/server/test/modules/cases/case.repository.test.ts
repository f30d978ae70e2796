import type { Case, CaseEvent } from '@gridloop/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendCaseEvent,
  countCasesBy,
  findAttachment,
  findCaseById,
  findCaseByIdempotencyKey,
  findCaseByNumber,
  insertAttachment,
  insertCase,
  linkAttachments,
  listCaseAttachments,
  listCaseEvents,
  listCases,
  nextCaseNumber,
  nextEventSeq,
  updateCase,
  type CaseVisibility,
} from '../../../src/modules/cases/case.repository.ts';
import { createTestDatabase, DIALECTS, type TestDatabase, useTestDatabase } from '../../helpers/databases.ts';

import { GRID, makeCase, VILLAGE } from '../../helpers/case-fixture.ts';

function event(caseId: string, seq: number, over: Partial<CaseEvent> = {}): CaseEvent {
  return {
    caseId,
    seq,
    action: 'report',
    fromStatus: null,
    toStatus: 'reported',
    actorId: 'u-citizen-1',
    actorRole: 'citizen',
    at: '2026-11-23T08:00:00.000Z',
    note: null,
    data: {},
    attachments: [],
    ...over,
  };
}

describe.each(DIALECTS)('case repository on %s', (dialect) => {
  const database = useTestDatabase(dialect, 'suite');
  const db = () => database().db;

  it('inserts and finds a case, round-tripping every field', async () => {
    const c = makeCase({
      assignment: { departmentId: 'dept-env', cooperatingDepartmentIds: ['dept-a', 'dept-b'], workerId: 'u-worker-1' },
      pendingExtension: { until: '2026-12-01T00:00:00.000Z', reason: '需协调', requestedBy: 'u-h', requestedAt: '2026-11-24T00:00:00.000Z' },
      pendingDeferral: { reason: 'budget', note: '明年预算', requestedBy: 'u-h', requestedAt: '2026-11-24T00:00:00.000Z' },
      resolvedOnSpot: true,
      lng: 114.123456789,
    });
    await database().write((trx) => insertCase(trx, c, 'idem-1'));
    expect(await findCaseById(db(), c.id)).toEqual(c);
    expect(await findCaseByNumber(db(), c.number)).toEqual(c);
    expect(await findCaseByIdempotencyKey(db(), 'idem-1')).toEqual(c);
    expect(await findCaseById(db(), 'missing')).toBeNull();
    expect(await findCaseByIdempotencyKey(db(), 'missing')).toBeNull();
    // the idempotency key is unique
    await expect(database().write((trx) => insertCase(trx, makeCase(), 'idem-1'))).rejects.toThrow();
  });

  it('stores null place codes and a case without a point', async () => {
    const c = makeCase({ lng: null, lat: null, address: null, nodeCode: '411102', source: 'meeting', place: { townshipCode: null, villageCode: null, gridCode: null } });
    await database().write((trx) => insertCase(trx, c, null));
    expect(await findCaseById(db(), c.id)).toEqual(c);
  });

  it('updates with an optimistic version check', async () => {
    const c = makeCase();
    await database().write((trx) => insertCase(trx, c, null));
    const accepted: Case = {
      ...c,
      status: 'dispatched',
      version: 2,
      assignment: { departmentId: 'dept-x', cooperatingDepartmentIds: ['dept-y'], workerId: 'u-w' },
      handlerId: 'u-h',
      outcome: 'solved',
      outcomeNote: '已清运',
      rating: 'satisfied',
      ratingComment: '很快',
      reopenCount: 1,
      returnCount: 2,
      resolvedOnSpot: true,
      suspendedFrom: 'in_progress',
      deferralReviewAt: '2027-01-01T00:00:00.000Z',
      updatedAt: '2026-11-24T00:00:00.000Z',
      closedAt: '2026-11-25T00:00:00.000Z',
      place: { ...c.place, gridCode: `${VILLAGE}G02` },
    };
    expect(await database().write((trx) => updateCase(trx, accepted, 1))).toBe(true);
    expect(await findCaseById(db(), c.id)).toEqual(accepted);
    // a second writer still holding version 1 loses
    const stale: Case = { ...c, status: 'rejected', version: 2 };
    expect(await database().write((trx) => updateCase(trx, stale, 1))).toBe(false);
    expect((await findCaseById(db(), c.id))?.status).toBe('dispatched');
    expect(await updateCase(db(), { ...accepted, id: 'missing' }, 2)).toBe(false);
  });

  it('appends and lists events in seq order', async () => {
    const c = makeCase();
    await database().write((trx) => insertCase(trx, c, null));
    expect(await nextEventSeq(db(), c.id)).toBe(1);
    await database().write(async (trx) => {
      await appendCaseEvent(trx, event(c.id, 2, { action: 'accept', fromStatus: 'reported', toStatus: 'accepted', data: { departmentId: 'd1', nested: { n: 1 } }, attachments: ['att-1'] }));
      await appendCaseEvent(trx, event(c.id, 1));
    });
    expect(await nextEventSeq(db(), c.id)).toBe(3);
    const events = await listCaseEvents(db(), c.id);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(events[0]).toEqual(event(c.id, 1));
    expect(events[1].data).toEqual({ departmentId: 'd1', nested: { n: 1 } });
    expect(events[1].attachments).toEqual(['att-1']);
    // (case_id, seq) is the primary key: a duplicate seq is refused
    await expect(database().write((trx) => appendCaseEvent(trx, event(c.id, 2)))).rejects.toThrow();
    expect(await listCaseEvents(db(), 'missing')).toEqual([]);
  });

  it('hands out case numbers per prefix, never twice under concurrency', async () => {
    expect(await database().write((trx) => nextCaseNumber(trx, '4111-20261123'))).toBe('4111-20261123-000001');
    expect(await database().write((trx) => nextCaseNumber(trx, '4111-20261123'))).toBe('4111-20261123-000002');
    expect(await database().write((trx) => nextCaseNumber(trx, '4111-20261124'))).toBe('4111-20261124-000001');
    const many = await Promise.all(Array.from({ length: 50 }, () => database().write((trx) => nextCaseNumber(trx, 'P'))));
    expect(new Set(many).size).toBe(50);
    expect([...many].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `P-${String(i + 1).padStart(6, '0')}`));
    // One batch counted in memory stored its last number: the next batch continues from it.
    const stored = await db().selectFrom('case_number_counters').select('last').where('prefix', '=', 'P').executeTakeFirstOrThrow();
    expect(Number(stored.last)).toBe(50);
  });

  it('skips the number of a job that failed in its batch and never reuses a rolled-back batch', async () => {
    const failing = database().write(async (trx) => {
      await nextCaseNumber(trx, 'Q');
      throw new Error('job fails after taking a number');
    });
    const others = Array.from({ length: 5 }, () => database().write((trx) => nextCaseNumber(trx, 'Q')));
    await expect(failing).rejects.toThrow('job fails');
    const numbers = await Promise.all(others);
    expect(new Set(numbers).size).toBe(5);
    const after = await database().write((trx) => nextCaseNumber(trx, 'Q'));
    expect(numbers).not.toContain(after);
    expect(after > [...numbers].sort().at(-1)!).toBe(true);
    // A lone job that fails rolls its batch back: the number it took is handed out again.
    await expect(database().write(async (trx) => {
      await nextCaseNumber(trx, 'R');
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect(await database().write((trx) => nextCaseNumber(trx, 'R'))).toBe('R-000001');
  });

  it('hands out case numbers in a plain transaction too (one upsert each)', async () => {
    const [a, b] = await db().transaction().execute(async (trx) => [await nextCaseNumber(trx, 'S'), await nextCaseNumber(trx, 'S')]);
    expect([a, b]).toEqual(['S-000001', 'S-000002']);
    expect(await database().write((trx) => nextCaseNumber(trx, 'S'))).toBe('S-000003');
  });

  it('stores attachments and links them to one case only', async () => {
    const c = makeCase();
    const other = makeCase();
    await database().write(async (trx) => {
      await insertCase(trx, c, null);
      await insertCase(trx, other, null);
    });
    const att = { id: 'att-a', caseId: null, mime: 'image/jpeg', size: 1234, sha256: 'ab'.repeat(32), storagePath: 'ab/abab.jpg', exifLng: 114.01, exifLat: 33.58, uploadedBy: 'u-citizen-1', createdAt: '2026-11-23T08:00:00.000Z' };
    await database().write(async (trx) => {
      await insertAttachment(trx, att);
      await insertAttachment(trx, { ...att, id: 'att-b', exifLng: null, exifLat: null, uploadedBy: null });
    });
    expect(await findAttachment(db(), 'att-a')).toEqual(att);
    expect(await findAttachment(db(), 'nope')).toBeNull();
    expect(await database().write((trx) => linkAttachments(trx, ['att-a', 'att-b', 'att-a', 'nope'], c.id))).toBe(2);
    expect((await findAttachment(db(), 'att-b'))?.caseId).toBe(c.id);
    // already on this case: idempotent; on another case: refused
    expect(await database().write((trx) => linkAttachments(trx, ['att-a'], c.id))).toBe(1);
    expect(await database().write((trx) => linkAttachments(trx, ['att-a'], other.id))).toBe(0);
    expect((await listCaseAttachments(db(), c.id)).map((a) => a.id)).toEqual(['att-a', 'att-b']);
    expect(await linkAttachments(db(), [], c.id)).toBe(0);
  });
});

describe.each(DIALECTS)('listCases and countCasesBy on %s', (dialect) => {
  let database: TestDatabase;
  const cases: Case[] = [];
  const G2 = `${VILLAGE}G02`;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const t = (m: number) => new Date(Date.UTC(2026, 10, 20, 0, m)).toISOString();
    cases.push(
      makeCase({ id: 'k1', createdAt: t(1), status: 'reported', reporterId: 'r1' }),
      makeCase({ id: 'k2', createdAt: t(2), status: 'dispatched', source: 'hotline_12345', assignment: { departmentId: 'dept_1', cooperatingDepartmentIds: [], workerId: null } }),
      makeCase({ id: 'k3', createdAt: t(3), status: 'in_progress', assignment: { departmentId: 'dept-2', cooperatingDepartmentIds: ['dept_1', 'dept-3'], workerId: null } }),
      // 'deptX1' would match a naive LIKE '%"dept_1"%' ('_' is a wildcard): must not be seen by dept_1
      makeCase({ id: 'k4', createdAt: t(4), status: 'in_progress', category: 'road.pothole', assignment: { departmentId: 'deptX1', cooperatingDepartmentIds: ['deptX1'], workerId: null } }),
      makeCase({ id: 'k5', createdAt: t(5), status: 'closed', reporterId: 'r1', assignment: { departmentId: null, cooperatingDepartmentIds: [], workerId: 'w1' }, place: { gridCode: G2 } }),
      makeCase({ id: 'k6', createdAt: t(6), status: 'reported', source: 'hotline_12345', place: { countyCode: '411103', townshipCode: '411103002', villageCode: '411103002003', gridCode: '411103002003G01' } }),
      makeCase({ id: 'k7', createdAt: t(7), status: 'reported', place: { gridCode: G2 }, reporterId: null }),
      // same created_at as k7: tie broken by id
      makeCase({ id: 'k0', createdAt: t(7), status: 'reported', place: { countyCode: null, townshipCode: null, villageCode: null, gridCode: null, cityCode: '4111' }, nodeCode: '4111' }),
    );
    await Promise.all(cases.map((c) => database.write((trx) => insertCase(trx, c, null))));
  });
  afterAll(async () => {
    await database?.drop();
  });

  const ids = async (visibility: CaseVisibility, extra: Record<string, unknown> = {}) => {
    const r = await listCases(database.db, { visibility, limit: 100, offset: 0, ...extra });
    expect(r.total).toBe(r.items.length);
    return r.items.map((c) => c.id);
  };

  it('lists all, newest first, ties by id, paged with a total', async () => {
    expect(await ids({ kind: 'all' })).toEqual(['k0', 'k7', 'k6', 'k5', 'k4', 'k3', 'k2', 'k1']);
    const page = await listCases(database.db, { visibility: { kind: 'all' }, limit: 3, offset: 2 });
    expect(page.total).toBe(8);
    expect(page.items.map((c) => c.id)).toEqual(['k6', 'k5', 'k4']);
    expect(page.items[0]).toEqual(cases.find((c) => c.id === 'k6'));
  });

  it('applies each visibility kind', async () => {
    expect(await ids({ kind: 'subtree', column: 'county_code', code: '411103' })).toEqual(['k6']);
    expect(await ids({ kind: 'subtree', column: 'grid_code', code: G2 })).toEqual(['k7', 'k5']);
    expect(await ids({ kind: 'subtree', column: 'city_code', code: '4111' })).toHaveLength(8);
    expect(await ids({ kind: 'subtree', column: 'province_code', code: '42' })).toEqual([]);
    expect(await ids({ kind: 'department', departmentId: 'dept_1' })).toEqual(['k3', 'k2']);
    expect(await ids({ kind: 'department', departmentId: 'dept-3' })).toEqual(['k3']);
    expect(await ids({ kind: 'department', departmentId: 'deptX1' })).toEqual(['k4']);
    expect(await ids({ kind: 'department', departmentId: 'dept' })).toEqual([]);
    expect(await ids({ kind: 'department', departmentId: 'DEPT_1' })).toEqual([]); // case-sensitive on both dialects
    expect(await ids({ kind: 'department', departmentId: '%' })).toEqual([]);
    expect(await ids({ kind: 'reporter', userId: 'r1' })).toEqual(['k5', 'k1']);
    expect(await ids({ kind: 'worker', userId: 'w1', gridCode: null })).toEqual(['k5']);
    expect(await ids({ kind: 'worker', userId: 'w1', gridCode: GRID })).toEqual(['k5', 'k4', 'k3', 'k2', 'k1']);
    expect(await ids({ kind: 'worker', userId: 'nobody', gridCode: G2 })).toEqual(['k7', 'k5']);
  });

  it('combines filters with visibility', async () => {
    expect(await ids({ kind: 'all' }, { status: ['reported'] })).toEqual(['k0', 'k7', 'k6', 'k1']);
    expect(await ids({ kind: 'all' }, { status: ['closed', 'dispatched'] })).toEqual(['k5', 'k2']);
    expect(await ids({ kind: 'all' }, { status: [] })).toHaveLength(8);
    expect(await ids({ kind: 'all' }, { source: 'hotline_12345' })).toEqual(['k6', 'k2']);
    expect(await ids({ kind: 'all' }, { category: 'road.pothole' })).toEqual(['k4']);
    expect(await ids({ kind: 'all' }, { departmentId: 'dept_1' })).toEqual(['k3', 'k2']);
    expect(await ids({ kind: 'subtree', column: 'county_code', code: '411102' }, { subtreeColumn: 'grid_code', subtreeCode: G2 })).toEqual(['k7', 'k5']);
    expect(await ids({ kind: 'reporter', userId: 'r1' }, { status: ['reported'], source: 'citizen_app' })).toEqual(['k1']);
  });

  it('counts visible cases by a column', async () => {
    expect(await countCasesBy(database.db, { kind: 'all' }, 'status')).toEqual({ reported: 4, dispatched: 1, in_progress: 2, closed: 1 });
    expect(await countCasesBy(database.db, { kind: 'all' }, 'source')).toEqual({ citizen_app: 6, hotline_12345: 2 });
    expect(await countCasesBy(database.db, { kind: 'all' }, 'county_code')).toEqual({ '411102': 6, '411103': 1, '': 1 });
    expect(await countCasesBy(database.db, { kind: 'department', departmentId: 'dept_1' }, 'category')).toEqual({ 'environment.garbage': 2 });
    expect(await countCasesBy(database.db, { kind: 'reporter', userId: 'nobody' }, 'status')).toEqual({});
  });
});

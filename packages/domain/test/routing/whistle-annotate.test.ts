import { describe, expect, it } from 'vitest';
import { annotate, dueAt, rateSurvivor, reportIn, reportInStats, summonsState } from '../../src/index.ts';
import { actor, makeCase } from '../fixtures.ts';

describe('whistle: report-in timing', () => {
  const s = { departmentId: 'd1', summonedAt: '2026-03-02T08:00:00.000Z', dueAt: dueAt('2026-03-02T08:00:00.000Z', 60), reportedAt: null, reportedBy: null };
  it('records how fast a department reported in and whether on time', () => {
    expect(s.dueAt).toBe('2026-03-02T09:00:00.000Z');
    const r = reportIn(s, 'u1', '2026-03-02T08:25:30.000Z');
    expect(r.ok && r.value).toMatchObject({ minutes: 25.5, onTime: true, reportedBy: 'u1' });
    const late = reportIn(s, 'u1', '2026-03-02T09:10:00.000Z');
    expect(late.ok && late.value).toMatchObject({ minutes: 70, onTime: false });
    if (r.ok) expect(reportIn(r.value, 'u2', '2026-03-02T08:30:00.000Z')).toMatchObject({ ok: false, error: { code: 'already_reported' } });
  });
  it('states and per-department statistics', () => {
    const now = '2026-03-02T10:00:00.000Z';
    const list = [
      { ...s, reportedAt: '2026-03-02T08:20:00.000Z', reportedBy: 'u' },
      { ...s, reportedAt: '2026-03-02T09:20:00.000Z', reportedBy: 'u' },
      { ...s },
      { ...s, dueAt: '2026-03-02T11:00:00.000Z' },
      { ...s, departmentId: 'd0', reportedAt: '2026-03-02T08:10:00.000Z', reportedBy: 'u' },
    ];
    expect(list.map((x) => summonsState(x, now))).toEqual(['reported_on_time', 'reported_late', 'missed', 'pending', 'reported_on_time']);
    const stats = reportInStats(list, now);
    expect(stats.map((x) => x.departmentId)).toEqual(['d0', 'd1']);
    expect(stats[1]).toEqual({ departmentId: 'd1', summoned: 4, reportedOnTime: 1, reportedLate: 1, missed: 1, pending: 1, reportRate: 0.667, onTimeRate: 0.333, averageMinutes: 50 });
  });
});

describe('annotations and the merged reporter rating the survivor', () => {
  const survivor = makeCase({ id: 'survivor', status: 'verified', version: 6, reporterId: 'someone-else' });
  const merged = makeCase({ id: 'dup', status: 'merged', mergedIntoId: 'survivor', version: 3, reporterId: 'citizen-1' });
  it('an annotation bumps the version and keeps the status', () => {
    const { next, event } = annotate(survivor, 'survivor_update', { userId: 'system:dispatch', role: 'system' }, '2026-03-03T00:00:00.000Z', '主案已派单', { survivorId: 'x' });
    expect(next).toMatchObject({ version: 7, status: 'verified', updatedAt: '2026-03-03T00:00:00.000Z' });
    expect(event).toMatchObject({ action: 'survivor_update', fromStatus: 'verified', toStatus: 'verified', data: { survivorId: 'x' } });
  });
  it('only the merged case reporter rates, once, after the survivor is verified', () => {
    const me = actor('citizen');
    const r = rateSurvivor(merged, survivor, me, { rating: 'satisfied', comment: '好' }, '2026-03-03T00:00:00.000Z');
    expect(r.ok && r.value.next).toMatchObject({ rating: 'satisfied', ratingComment: '好', status: 'merged', version: 4 });
    expect(rateSurvivor(merged, survivor, actor('citizen', { userId: 'other' }), { rating: 'satisfied' }, 'x')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(rateSurvivor(merged, { ...survivor, status: 'in_progress' }, me, { rating: 'satisfied' }, 'x')).toMatchObject({ ok: false, error: { code: 'survivor_not_finished' } });
    expect(rateSurvivor({ ...merged, rating: 'satisfied' }, survivor, me, { rating: 'satisfied' }, 'x')).toMatchObject({ ok: false, error: { code: 'already_rated' } });
    expect(rateSurvivor({ ...merged, status: 'closed' }, survivor, me, { rating: 'satisfied' }, 'x')).toMatchObject({ ok: false, error: { code: 'not_merged' } });
    expect(rateSurvivor(merged, survivor, me, {}, 'x')).toMatchObject({ ok: false, error: { code: 'field_required' } });
  });
});

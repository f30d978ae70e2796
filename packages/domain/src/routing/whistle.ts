/**
 * Whistle 街乡吹哨、部门报到: a township summons departments to a case; each must report in
 * (accept) within a limit. Who reported in and how fast counts in their evaluation.
 */
import type { Result } from '../result.ts';
import { fail, ok } from '../result.ts';

export const WHISTLE_KINDS = ['whistle', 'consultation'] as const;
/** whistle 吹哨 (summoned by a dispatcher) · consultation 会商 (opened for a blurred item). */
export type WhistleKind = (typeof WHISTLE_KINDS)[number];

export const WHISTLE_LIMITS = { defaultMinutes: 60, minMinutes: 5, maxMinutes: 7 * 24 * 60 } as const;

export interface Summons {
  departmentId: string;
  summonedAt: string;
  dueAt: string;
  reportedAt: string | null;
  reportedBy: string | null;
}

export type SummonsState = 'pending' | 'reported_on_time' | 'reported_late' | 'missed';

export function summonsState(s: Summons, now: string): SummonsState {
  if (s.reportedAt) return s.reportedAt <= s.dueAt ? 'reported_on_time' : 'reported_late';
  return now > s.dueAt ? 'missed' : 'pending';
}

export function dueAt(summonedAt: string, limitMinutes: number): string {
  return new Date(Date.parse(summonedAt) + limitMinutes * 60_000).toISOString();
}

/** Reporting in 报到: once per summons; late is allowed and recorded as late. */
export function reportIn(s: Summons, userId: string, at: string): Result<Summons & { minutes: number; onTime: boolean }> {
  if (s.reportedAt) return fail('already_reported', 'This department has already reported in', '该部门已报到', { reportedAt: s.reportedAt });
  const minutes = Math.max(0, Math.round(((Date.parse(at) - Date.parse(s.summonedAt)) / 60_000) * 10) / 10);
  return ok({ ...s, reportedAt: at, reportedBy: userId, minutes, onTime: at <= s.dueAt });
}

export interface ReportInStats {
  departmentId: string;
  summoned: number;
  reportedOnTime: number;
  reportedLate: number;
  missed: number;
  pending: number;
  /** Reported ÷ (summoned − pending). */
  reportRate: number | null;
  /** On time ÷ (summoned − pending). */
  onTimeRate: number | null;
  averageMinutes: number | null;
}

/** Per department: how often it reported in, on time, and how fast on average. */
export function reportInStats(summons: readonly Summons[], now: string): ReportInStats[] {
  const by = new Map<string, Summons[]>();
  for (const s of summons) by.set(s.departmentId, [...(by.get(s.departmentId) ?? []), s]);
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([departmentId, list]) => {
    const count = { reported_on_time: 0, reported_late: 0, missed: 0, pending: 0 };
    let minutes = 0;
    for (const s of list) {
      count[summonsState(s, now)]++;
      if (s.reportedAt) minutes += (Date.parse(s.reportedAt) - Date.parse(s.summonedAt)) / 60_000;
    }
    const reported = count.reported_on_time + count.reported_late;
    const decided = list.length - count.pending;
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return {
      departmentId, summoned: list.length, reportedOnTime: count.reported_on_time, reportedLate: count.reported_late, missed: count.missed, pending: count.pending,
      reportRate: decided ? r(reported / decided) : null, onTimeRate: decided ? r(count.reported_on_time / decided) : null,
      averageMinutes: reported ? Math.round((minutes / reported) * 10) / 10 : null,
    };
  });
}

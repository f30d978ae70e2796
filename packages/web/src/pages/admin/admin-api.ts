/**
 * The admin page's view of the Geography, Modes, Deadlines and Dispatch routes: response shapes
 * and small helpers. Kept out of shared/ so other pages do not carry it.
 */
import { ApiError } from '../../shared/api.ts';
import { locale } from '../../shared/i18n.ts';

export interface Grid { code: string; name: string; kind: string; households: number | null; population: number | null; parent_grid_code: string | null; version: number }

export interface Issue { code?: string; message?: string; message_zh?: string; [where: string]: unknown }

export interface ImportReport {
  ok: boolean; dry_run: boolean; crs: string; mode: string; features: number; valid: number; created: number; updated: number;
  would_create: number; would_update: number; errors: Issue[]; errors_total: number; warnings: Issue[]; warnings_total: number;
}

export interface ModeSetting {
  id: string; nodeCode: string; mode: string; startsAt: string; endsAt: string | null; reason: string; setBy: string | null;
  setAt: string; endedBy: string | null; endReason: string | null;
}
export interface CurrentMode { nodeCode: string; mode: string; mode_zh?: string; setting: ModeSetting | null; inheritedFrom: string | null; active: ModeSetting[]; scheduled: ModeSetting[] }

export type Unit = 'natural_hours' | 'natural_days' | 'working_hours' | 'working_days' | 'same_day';
export const UNITS: Unit[] = ['natural_hours', 'natural_days', 'working_hours', 'working_days', 'same_day'];
export interface Limit { amount: number; unit: Unit; text_zh?: string; text_en?: string }
export const STAGES = ['accept', 'handle', 'verify'] as const;
export type Stage = (typeof STAGES)[number];
export interface Rule { category: string; priority: string; mode: string; limits: Partial<Record<Stage, Limit>>; note?: string | null }
export interface TimeLimits { current: { version: number; note: string | null; createdAt: string | null; rules: Rule[] } }

export interface Override { regionCode: string; day: string; kind: string; name: string | null; createdAt: string }

export interface ListHeader { id: string; scopeCode: string; version: number; name: string; itemCount: number; source: string; note: string | null; createdAt: string }

/** A message of an issue (import error, sheet row error) in the current locale. */
export function issueText(i: Issue): string {
  return (locale.value === 'zh' ? i.message_zh ?? i.message : i.message ?? i.message_zh) ?? String(i.code ?? '');
}

/** Where an issue points (feature 3, grid …G01, row 5, column 时限), short. */
export function issueWhere(i: Issue): string {
  const parts: string[] = [];
  for (const k of ['row', 'feature', 'grid_code', 'column', 'field', 'property', 'path']) {
    const v = i[k];
    if (v !== undefined && v !== null && v !== '') parts.push(`${k}=${String(v)}`);
  }
  return parts.join(' ');
}

/** The row errors a 422 of a sheet / import carries in `details.errors`. */
export function detailIssues(e: unknown): Issue[] {
  if (!(e instanceof ApiError)) return [];
  const list = e.details?.errors;
  return Array.isArray(list) ? (list as Issue[]) : [];
}

/** An ISO instant from a `datetime-local` value (local time); undefined when empty. */
export function isoFromLocal(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * Administering deadlines 时限配置: the versioned time-limit table with its escalation thresholds,
 * local calendar overrides, and loading next year's official holiday schedule. Every change bumps
 * the settings revision so all processes reload; cases keep the limits they recorded.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, CalendarData, Clock, EscalationPolicies, EscalationPolicy, OperationMode, TimeLimitRule } from '@gridloop/domain';
import { can, OPERATION_MODES, placeOfCode, reviseTable, validateCalendarData, validateEscalationPolicies } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import { httpError, unwrap } from '../../http/errors.ts';
import { listCaseEvents } from '../cases/case.repository.ts';
import { DeadlineEngine } from './deadline.engine.ts';
import { findDeadline, lockCase, provisionalCaseIds, updateDeadline } from './deadline.repository.ts';
import type { DeadlineConfig } from './deadline-settings.ts';
import { deadlineSettings } from './deadline-settings.ts';
import { bumpSettingsRevision, deleteOverride, insertSchedule, insertTable, listOverrides, upsertOverride } from './settings.repository.ts';

export interface TableChange {
  upsert?: TimeLimitRule[];
  /** Rule keys `category|priority|mode` to remove. */
  remove?: string[];
  /** Thresholds to change, per mode (fields not given stay). */
  escalation?: Partial<Record<OperationMode, Partial<EscalationPolicy>>>;
  note: string;
}

const MAX_DAYS = 400;

export function createDeadlineAdminService(deps: { database: Database; clock: Clock }) {
  const { database, clock } = deps;
  const settings = deadlineSettings(database);

  /** The whole table is national: only an admin without a territory scope edits it. */
  function requireNationalAdmin(actor: Actor): void {
    if (!can(actor, 'deadline.configure') || actor.scopeCode !== null) {
      throw httpError(403, 'forbidden', 'Only a system administrator (no territory scope) may change the time-limit table or the national calendar', '只有全域系统管理员可以修改时限表或全国日历');
    }
  }

  function requireRegionAdmin(actor: Actor, regionCode: string): void {
    if (regionCode === '') return requireNationalAdmin(actor);
    const place = placeOfCode(regionCode);
    if (!place || regionCode.includes('G')) throw httpError(400, 'invalid_region_code', `"${regionCode}" is not a region code`, `“${regionCode}”不是有效的行政区划编码`);
    if (!can(actor, 'deadline.configure', { place })) throw httpError(403, 'forbidden', 'You may not change the calendar of this region', '您无权修改该辖区的日历');
  }

  async function config(): Promise<DeadlineConfig> {
    return settings.load(database.db);
  }

  /** Recompute open deadlines that were provisional (beyond the known calendar): after a schedule was loaded. */
  async function recomputeProvisional(): Promise<number> {
    const engine = new DeadlineEngine(database, clock);
    let after = '';
    let n = 0;
    for (;;) {
      const ids = await provisionalCaseIds(database.db, after, 200);
      if (ids.length === 0) return n;
      n += await database.write(async (trx) => {
        const cfg = await engine.config(trx);
        let done = 0;
        for (const id of ids) {
          const c = await lockCase(trx, database.dialect, id);
          const rec = c && (await findDeadline(trx, id, database.dialect));
          if (!c || !rec) continue;
          if (await updateDeadline(trx, engine.recompute(cfg, c, await listCaseEvents(trx, id), rec, clock.now()))) done += 1;
        }
        return done;
      });
      after = ids[ids.length - 1]!;
    }
  }

  return {
    config,

    async reviseTable(actor: Actor, change: TableChange) {
      requireNationalAdmin(actor);
      const cfg = await config();
      const table = unwrap(reviseTable(cfg.latest.table, { upsert: change.upsert, remove: change.remove }));
      const escalation = { ...cfg.latest.escalation } as EscalationPolicies;
      for (const mode of OPERATION_MODES) {
        const patch = change.escalation?.[mode];
        if (patch) escalation[mode] = { ...escalation[mode], ...patch, startLevel: { ...escalation[mode].startLevel, ...patch.startLevel } };
      }
      unwrap(validateEscalationPolicies(escalation));
      const at = clock.now().toISOString();
      await database.write(async (trx) => {
        // The built-in version 1 is stored the first time the table is edited, so every version is on record.
        if (table.version === 2) await insertTable(trx, { version: 1, rules: [...cfg.version(1).table.rules], escalation: cfg.version(1).escalation, note: cfg.version(1).note, createdBy: null, createdAt: at });
        await insertTable(trx, { version: table.version, rules: [...table.rules], escalation, note: change.note, createdBy: actor.userId, createdAt: at });
        await bumpSettingsRevision(trx);
      }).catch((error: unknown) => {
        // Two admins saving at once: the second one's version number is taken.
        if (String(error).match(/unique|duplicate|primary key/i)) throw httpError(409, 'table_version_conflict', 'Someone saved the table at the same time; reload it', '时限表刚被他人修改，请刷新后重试');
        throw error;
      });
      settings.invalidate();
      return (await config()).latest;
    },

    /** Days between two dates as the calendar of a region (or the national one) sees them. */
    async days(from: string, to: string, regionCode: string | null) {
      const cfg = await config();
      const place = regionCode ? placeOfCode(regionCode) : null;
      if (regionCode && !place) throw httpError(400, 'invalid_region_code', `"${regionCode}" is not a region code`, `“${regionCode}”不是有效的行政区划编码`);
      const cal = place ? cfg.calendarFor(place) : cfg.national;
      const start = cal.startOfDay(from);
      const end = cal.startOfDay(to);
      const n = Math.round((end.getTime() - start.getTime()) / 86_400_000) + 1;
      if (n < 1 || n > MAX_DAYS) throw httpError(400, 'invalid_range', `Ask for 1 to ${MAX_DAYS} days`, `日期范围须为 1 到 ${MAX_DAYS} 天`);
      const days = Array.from({ length: n }, (_, i) => cal.describeDay(cal.dayOf(new Date(start.getTime() + i * 86_400_000 + 43_200_000))));
      return { knownFrom: cal.knownFrom, knownUntil: cal.knownUntil, days };
    },

    listOverrides: (regionCode?: string) => listOverrides(database.db, regionCode),

    async setOverride(actor: Actor, o: { regionCode: string; day: string; kind: 'holiday' | 'workday'; name: string | null }) {
      requireRegionAdmin(actor, o.regionCode);
      unwrap(validateCalendarData({ holidays: o.kind === 'holiday' ? [o.day] : [], workdays: o.kind === 'workday' ? [o.day] : [], knownFrom: o.day, knownUntil: o.day }));
      await database.write(async (trx) => {
        await upsertOverride(trx, { ...o, createdBy: actor.userId, createdAt: clock.now().toISOString() });
        await bumpSettingsRevision(trx);
      });
      settings.invalidate();
    },

    async removeOverride(actor: Actor, regionCode: string, day: string) {
      requireRegionAdmin(actor, regionCode);
      const removed = await database.write(async (trx) => {
        const r = await deleteOverride(trx, regionCode, day);
        if (r) await bumpSettingsRevision(trx);
        return r;
      });
      if (!removed) throw httpError(404, 'override_not_found', `No override on ${day}`, `${day} 没有本地调整`);
      settings.invalidate();
    },

    /**
     * Loads an official schedule 全国节假日安排 (e.g. next year's, published each autumn by the State
     * Council): it must validate and join the known range without a gap. Cases whose deadlines were
     * provisional are recomputed on their next change; new ones count with it at once.
     */
    async loadSchedule(actor: Actor, data: CalendarData, note: string | null) {
      requireNationalAdmin(actor);
      const cfg = await config();
      const extended = unwrap(cfg.national.extend(data));
      await database.write(async (trx) => {
        await insertSchedule(trx, { id: randomUUID(), knownFrom: data.knownFrom, knownUntil: data.knownUntil, data, note, loadedBy: actor.userId, loadedAt: clock.now().toISOString() });
        await bumpSettingsRevision(trx);
      });
      settings.invalidate();
      return { knownFrom: extended.knownFrom, knownUntil: extended.knownUntil, recomputed: await recomputeProvisional() };
    },
  };
}

export type DeadlineAdminService = ReturnType<typeof createDeadlineAdminService>;

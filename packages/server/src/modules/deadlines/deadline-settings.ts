/**
 * The deadline settings in force: the national calendar (chinese-days) extended by the schedules
 * an admin loaded, local overrides per region, and every version of the time-limit table with its
 * escalation thresholds. Loaded from the store and cached per Database; a revision number in the
 * store (bumped on every change) makes each process reload within a second of another's edit.
 */
import type { Calendar, CalendarOverrides, EscalationPolicies, EscalationPolicy, OperationMode, Place, TimeLimitTable } from '@gridloop/domain';
import { chineseDaysCalendarData, createCalendar, DEFAULT_ESCALATION_POLICIES, DEFAULT_TIME_LIMIT_TABLE, placeIsUnder } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import type { Executor } from '../cases/case.repository.ts';
import type { StoredOverride, StoredSchedule, StoredTable } from './settings.repository.ts';
import { listOverrides, listSchedules, listTables, settingsRevision } from './settings.repository.ts';

/** How long a process trusts its cached settings before re-reading the revision (ms, real time). */
export const SETTINGS_TTL_MS = 1000;

export interface VersionedTable {
  table: TimeLimitTable;
  escalation: EscalationPolicies;
  note: string | null;
  createdBy: string | null;
  createdAt: string | null;
}

/** The built-in version 1: the 12345 limits (time-limits.ts) and the default thresholds. */
export const BUILT_IN_TABLE: VersionedTable = { table: DEFAULT_TIME_LIMIT_TABLE, escalation: DEFAULT_ESCALATION_POLICIES, note: '12345 published limits (built in)', createdBy: null, createdAt: null };

export class DeadlineConfig {
  readonly revision: number;
  readonly national: Calendar;
  readonly overrides: readonly StoredOverride[];
  readonly schedules: readonly StoredSchedule[];
  readonly #tables: Map<number, VersionedTable>;
  readonly latest: VersionedTable;
  readonly #calendars = new Map<string, Calendar>();

  constructor(revision: number, tables: StoredTable[], schedules: StoredSchedule[], overrides: StoredOverride[]) {
    this.revision = revision;
    let cal = createCalendar(chineseDaysCalendarData());
    for (const s of schedules) {
      const r = cal.extend(s.data);
      // A stored schedule was validated when loaded; one that no longer fits is skipped, not fatal.
      if (r.ok) cal = r.value;
    }
    this.national = cal;
    this.schedules = schedules;
    this.overrides = overrides;
    this.#tables = new Map([[1, BUILT_IN_TABLE]]);
    for (const t of tables) {
      this.#tables.set(t.version, { table: { version: t.version, rules: t.rules }, escalation: t.escalation, note: t.note, createdBy: t.createdBy, createdAt: t.createdAt });
    }
    this.latest = this.#tables.get(Math.max(...this.#tables.keys()))!;
  }

  versions(): VersionedTable[] {
    return [...this.#tables.values()].sort((a, b) => a.table.version - b.table.version);
  }

  /** A recorded version (falls back to the latest if it was never stored: cannot happen in practice). */
  version(v: number): VersionedTable {
    return this.#tables.get(v) ?? this.latest;
  }

  policy(version: number, mode: OperationMode): EscalationPolicy {
    return this.version(version).escalation[mode] ?? DEFAULT_ESCALATION_POLICIES[mode];
  }

  /** The calendar of a place: national data, then overrides for everywhere, then those of its regions (nearest last). */
  calendarFor(place: Place): Calendar {
    const applying = this.overrides.filter((o) => o.regionCode === '' || placeIsUnder(place, o.regionCode));
    const codes = [...new Set(applying.map((o) => o.regionCode))].sort((a, b) => a.length - b.length);
    const key = codes.join('|');
    const cached = this.#calendars.get(key);
    if (cached) return cached;
    let cal: Calendar = this.national;
    {
      for (const code of codes) {
        const mine = applying.filter((o) => o.regionCode === code);
        const o: CalendarOverrides = {
          holidays: mine.filter((x) => x.kind === 'holiday').map((x) => x.day),
          workdays: mine.filter((x) => x.kind === 'workday').map((x) => x.day),
          names: Object.fromEntries(mine.filter((x) => x.name).map((x) => [x.day, x.name!])),
        };
        const r: ReturnType<Calendar['withOverrides']> = cal.withOverrides(o);
        if (r.ok) cal = r.value;
      }
      this.#calendars.set(key, cal);
    }
    return cal;
  }
}

export class DeadlineSettings {
  #config: DeadlineConfig | null = null;
  #checkedAt = 0;

  /** The settings in force; re-reads the store when the revision changed (checked at most every SETTINGS_TTL_MS). */
  async load(ex: Executor): Promise<DeadlineConfig> {
    const t = performance.now();
    if (this.#config && t - this.#checkedAt < SETTINGS_TTL_MS) return this.#config;
    const revision = await settingsRevision(ex);
    if (this.#config && this.#config.revision === revision) {
      this.#checkedAt = t;
      return this.#config;
    }
    // One after the other: a transaction's connection runs one query at a time.
    const tables = await listTables(ex);
    const schedules = await listSchedules(ex);
    const overrides = await listOverrides(ex);
    this.#config = new DeadlineConfig(revision, tables, schedules, overrides);
    this.#checkedAt = performance.now();
    return this.#config;
  }

  /** Forget the cache (after an edit in this process). */
  invalidate(): void {
    this.#config = null;
  }
}

const byDatabase = new WeakMap<object, DeadlineSettings>();

/** One settings cache per database (every service of an app shares it). */
export function deadlineSettings(database: Database): DeadlineSettings {
  let s = byDatabase.get(database);
  if (!s) byDatabase.set(database, (s = new DeadlineSettings()));
  return s;
}

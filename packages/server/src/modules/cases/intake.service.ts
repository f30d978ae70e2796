import { createRequire } from 'node:module';
import type { Actor, Case, CaseEvent, CaseSource, Clock, Located, Place } from '@gridloop/domain';
import { can, CATEGORY_BY_ID, placeOfCode } from '@gridloop/domain';
import type { Transaction } from 'kysely';
import type { Database } from '../../adapters/db/database.ts';
import type { DB } from '../../adapters/db/schema.ts';
import type { EventBus } from '../../events/event-bus.ts';
import { newCaseId } from './case-id.ts';
import { httpError } from '../../http/errors.ts';
import type { IntakeBody } from './case.schemas.ts';
import { appendCaseEvent, findAttachment, findCaseByIdempotencyKey, insertCase, linkAttachments, nextCaseNumber } from './case.repository.ts';
import { findRegionOrGrid } from './case-lookups.repository.ts';

// gcoord is CommonJS with an ESM-style `export default` in its types: load it the CommonJS way.
const gcoord = createRequire(import.meta.url)('gcoord') as typeof import('gcoord').default;

export interface IntakeDeps {
  database: Database;
  clock: Clock;
  events: EventBus;
  /** The GeoIndex port: place a WGS-84 point on its grid, else the smallest enclosing unit. */
  locate: (lng: number, lat: number) => Located | null;
}

/** Channels a citizen may use themselves; the others are entered by staff or integrations. */
const CITIZEN_SOURCES: readonly CaseSource[] = ['citizen_app', 'suggestion'];

/** Photos must be the reporter's own uploads not yet attached to a case. */
export async function checkAttachments(trx: Transaction<DB>, ids: string[], actor: Actor): Promise<void> {
  for (const id of new Set(ids)) {
    const a = await findAttachment(trx, id);
    if (!a || a.uploadedBy !== actor.userId || a.caseId !== null) {
      throw httpError(422, 'attachment_not_found', `Attachment ${id} does not exist, is not yours or is already used`, `附件 ${id} 不存在、不属于您或已被使用`);
    }
  }
}

export function toWgs84(lng: number, lat: number, crs: 'WGS84' | 'GCJ02' | 'BD09' = 'WGS84'): [number, number] {
  if (crs === 'WGS84') return [lng, lat];
  const from = crs === 'GCJ02' ? gcoord.GCJ02 : gcoord.BD09;
  const [x, y] = gcoord.transform([lng, lat], from, gcoord.WGS84) as [number, number];
  return [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7];
}

/** yyyymmdd of the instant in China time (UTC+8, no DST); remembered per day (one per intake otherwise). */
let dayCache = { from: 0, until: 0, day: '' };
function chinaDay(now: Date): string {
  const t = now.getTime();
  if (t >= dayCache.from && t < dayCache.until) return dayCache.day;
  const from = Math.floor((t + 8 * 3600_000) / 86_400_000) * 86_400_000 - 8 * 3600_000;
  const day = new Date(t + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  dayCache = { from, until: from + 86_400_000, day };
  return day;
}

/** Intake 受理入口: one endpoint for every source; idempotent per (user, Idempotency-Key). */
export function createIntakeService(deps: IntakeDeps) {
  const { database, clock, events, locate } = deps;

  async function placeOf(actor: Actor, body: IntakeBody): Promise<{ nodeCode: string; place: Place; lng: number | null; lat: number | null }> {
    if (body.location) {
      const [lng, lat] = toWgs84(body.location.lng, body.location.lat, body.location.crs);
      const hit = locate(lng, lat);
      if (!hit) {
        throw httpError(422, 'outside_territory', 'The location is outside the territory this gridloop serves', '该位置不在本平台管辖范围内', { lng, lat });
      }
      return { nodeCode: hit.nodeCode, place: placeOfCode(hit.gridCode ?? hit.nodeCode)!, lng, lat };
    }
    if (!body.nodeCode) throw httpError(422, 'location_required', 'Give a location (lng/lat) or a territory nodeCode', '请提供位置坐标或所属辖区编码');
    const place = placeOfCode(body.nodeCode);
    if (!place || !(await findRegionOrGrid(database.db, body.nodeCode))) {
      throw httpError(422, 'node_not_found', `Unknown territory node ${body.nodeCode}`, `辖区编码 ${body.nodeCode} 不存在`);
    }
    return { nodeCode: body.nodeCode, place, lng: null, lat: null };
  }

  return {
    /** Returns the case and whether it was created now (false: a retried submission). */
    async report(actor: Actor, body: IntakeBody, idempotencyKey: string | null): Promise<{ case: Case; created: boolean }> {
      // A retried submission is found inside the write below (and by the unique index).
      const key = idempotencyKey ? `${actor.userId}:${idempotencyKey}` : null;
      const category = CATEGORY_BY_ID.get(body.category);
      if (!category) throw httpError(422, 'unknown_category', `Unknown category "${body.category}"`, `未知的事项类别“${body.category}”`);
      if (actor.role === 'citizen' && !CITIZEN_SOURCES.includes(body.source)) {
        throw httpError(403, 'forbidden_source', `Citizens report through ${CITIZEN_SOURCES.join(' or ')}`, '群众只能通过随手拍或建议渠道上报');
      }
      const where = await placeOf(actor, body);
      if (!can(actor, 'case.report', { place: where.place })) {
        throw httpError(403, 'forbidden', 'You may not report cases at this place', '您无权在该辖区上报案件');
      }
      const now = clock.now();
      const at = now.toISOString();
      const isCitizen = actor.role === 'citizen';
      // Time-ordered ids (UUIDv7): new cases append to the id index and to the history's primary
      // key instead of dirtying a random page of each per intake (docs/decisions.md D16).
      // One object literal with every field, its number set inside the write (no 38-field copy
      // per intake; a retried batch sets it again).
      const c: Case = {
        id: newCaseId(), number: '', status: 'reported', version: 1, source: body.source, category: category.id,
        priority: body.priority ?? (category.emergency ? 'emergency' : 'normal'), description: body.description.trim(),
        lng: where.lng, lat: where.lat, address: body.address ?? null, nodeCode: where.nodeCode, place: where.place,
        reporterId: isCitizen ? actor.userId : null, reporterName: body.reporter?.name ?? null, reporterPhone: body.reporter?.phone ?? null,
        assignment: { departmentId: null, cooperatingDepartmentIds: [], workerId: null }, handlerId: null,
        outcome: null, outcomeNote: null, referredTo: null, mergedIntoId: null, rating: null, ratingComment: null,
        reopenCount: 0, returnCount: 0, resolvedOnSpot: false, suspendedFrom: null, pendingExtension: null,
        pendingDeferral: null, deferralReviewAt: null, createdAt: at, updatedAt: at, closedAt: null,
      };
      const prefix = `${where.place.cityCode ?? where.place.provinceCode ?? 'GL'}-${chinaDay(now)}`;
      const attachments = body.attachments ?? [];
      // A retried submission (same key) fails on the unique index and is answered from the catch
      // below: the common path (a new key) does not pay for a lookup.
      let result;
      try {
        // (An unnamed function: tsx keeps names by a defineProperty call per named closure.)
        result = await database.write(async (trx: Transaction<DB>) => {
          if (attachments.length) await checkAttachments(trx, attachments, actor);
          c.number = await nextCaseNumber(trx, prefix);
          const event: CaseEvent = {
            caseId: c.id, seq: 1, action: 'report', fromStatus: null, toStatus: 'reported', actorId: actor.userId,
            actorRole: actor.role, at, note: null, data: { source: c.source, category: c.category }, attachments,
          };
          await insertCase(trx, c, key);
          await appendCaseEvent(trx, event);
          if (attachments.length) await linkAttachments(trx, attachments, c.id);
          return { case: c, created: true as const, event };
        });
      } catch (error) {
        // A retry, or two submissions with one key at once: the unique index lets one in; return it.
        const seen = key ? await findCaseByIdempotencyKey(database.db, key) : null;
        if (seen) return { case: seen, created: false };
        throw error;
      }
      events.emit('case.reported', { case: result.case, event: result.event });
      return { case: result.case, created: result.created };
    },
  };
}

export type IntakeService = ReturnType<typeof createIntakeService>;

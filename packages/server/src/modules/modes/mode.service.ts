/**
 * Operation modes 多模态运行: an authorised leader switches a unit (and the units below) to
 * daily / major holiday / major task / emergency for a period, with a reason; the history is
 * kept. A switch that starts now is applied to the open cases under the unit before the answer
 * (new limits, faster escalation); a scheduled one is applied by the sweep when it comes.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, Clock, OperationMode } from '@gridloop/domain';
import { can, checkModeRequest, MODE_ZH, modeAt, placeOfCode } from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import type { EventBus } from '../../events/event-bus.ts';
import { httpError, unwrap } from '../../http/errors.ts';
import { createDeadlineSweep } from '../../jobs/deadline-sweep.ts';
import { findRegionOrGrid } from '../cases/case-lookups.repository.ts';
import type { StoredMode } from './mode.repository.ts';
import { endMode, findMode, insertMode, listModes, modeSettingsFor, regionAncestors } from './mode.repository.ts';

export function createModeService(deps: { database: Database; clock: Clock; events: EventBus }) {
  const { database, clock } = deps;
  const sweep = createDeadlineSweep(deps);

  function regionPlace(nodeCode: string) {
    const place = placeOfCode(nodeCode);
    if (!place || nodeCode.includes('G')) throw httpError(400, 'invalid_mode_unit', 'Operation modes are set on a region unit (province … village)', '运行模式须设置在行政区划单位上', { nodeCode });
    return place;
  }

  function authorize(actor: Actor, nodeCode: string): void {
    if (!can(actor, 'mode.set', { place: regionPlace(nodeCode) })) {
      throw httpError(403, 'forbidden', 'Only a leader of this unit (or above) may switch its operation mode', '只有本级或上级领导可以切换该单位的运行模式');
    }
  }

  return {
    /** The mode in force at a unit now, where it comes from, and what is scheduled. */
    async current(actor: Actor, nodeCode: string) {
      if (!can(actor, 'mode.read')) throw httpError(403, 'forbidden', 'Not allowed to read operation modes', '无权查看运行模式');
      const place = placeOfCode(nodeCode);
      if (!place) throw httpError(400, 'invalid_node_code', `"${nodeCode}" is not a territory node code`, `“${nodeCode}”不是有效的辖区编码`);
      const now = clock.now();
      const settings = await modeSettingsFor(database.db, place);
      const { mode, setting } = modeAt(settings, place, now);
      const nowIso = now.toISOString();
      return {
        nodeCode, mode, mode_zh: MODE_ZH[mode], setting: (setting as StoredMode | null) ?? null,
        inheritedFrom: setting && setting.nodeCode !== nodeCode ? setting.nodeCode : null,
        scheduled: settings.filter((s) => s.startsAt > nowIso),
        active: settings.filter((s) => s.startsAt <= nowIso && (s.endsAt === null || s.endsAt > nowIso)),
      };
    },

    async set(actor: Actor, body: { nodeCode: string; mode: OperationMode; startsAt?: string; endsAt?: string; reason: string }) {
      authorize(actor, body.nodeCode);
      const now = clock.now();
      const req = unwrap(checkModeRequest({
        nodeCode: body.nodeCode, mode: body.mode, startsAt: body.startsAt ? new Date(body.startsAt) : now, endsAt: body.endsAt ? new Date(body.endsAt) : null, reason: body.reason,
      }, now));
      if (!(await findRegionOrGrid(database.db, body.nodeCode))) throw httpError(422, 'node_not_found', `Unknown territory unit ${body.nodeCode}`, `辖区编码 ${body.nodeCode} 不存在`);
      const m: StoredMode = {
        id: randomUUID(), nodeCode: req.nodeCode, mode: req.mode, startsAt: req.startsAt.toISOString(), endsAt: req.endsAt?.toISOString() ?? null,
        reason: req.reason.trim(), setBy: actor.userId, setAt: now.toISOString(), endedBy: null, endReason: null, startAppliedAt: null, endAppliedAt: null,
      };
      await database.write((trx) => insertMode(trx, m));
      const applied = m.startsAt <= now.toISOString() ? await sweep.applyModes() : { edges: 0, relimited: 0 };
      return { setting: (await findMode(database.db, m.id))!, relimited: applied.relimited };
    },

    /** Ends a setting now (or cancels a scheduled one); the cases under it return to the mode in force. */
    async end(actor: Actor, id: string, reason: string) {
      const m = await findMode(database.db, id);
      if (!m) throw httpError(404, 'mode_not_found', 'No such operation mode setting', '运行模式设置不存在');
      authorize(actor, m.nodeCode);
      if (!reason.trim()) throw httpError(422, 'field_required', 'A reason is required', '须填写结束原因', { fields: ['reason'] });
      const now = clock.now().toISOString();
      // A setting not started yet is cancelled: it ends where it would have started.
      const at = m.startsAt > now ? m.startsAt : now;
      if (!(await database.write((trx) => endMode(trx, id, at, actor.userId, reason.trim())))) {
        throw httpError(409, 'mode_already_ended', 'This setting has already ended', '该运行模式已结束');
      }
      const applied = await sweep.applyModes();
      return { setting: (await findMode(database.db, id))!, relimited: applied.relimited };
    },

    /** The history of settings on a unit's ancestors (`node`) or on the units under `under`. */
    async history(actor: Actor, q: { node?: string; under?: string; limit: number; offset: number }) {
      if (!can(actor, 'mode.read')) throw httpError(403, 'forbidden', 'Not allowed to read operation modes', '无权查看运行模式');
      const nodeCodes = q.node ? regionAncestors(regionPlace(q.node)) : undefined;
      return listModes(database.db, { nodeCodes, under: q.under, limit: q.limit, offset: q.offset });
    },
  };
}

export type ModeService = ReturnType<typeof createModeService>;

/**
 * Supervision 督办 and escalation by decision 提级办理: urging 催办, flagging 挂牌督办 (and lifting
 * it), climbing a level, sending a case down with instructions 下沉/发回; the escalation inbox of
 * each level; the weekly meeting list; the figures. Each action is one durable write: the history
 * entry, the deadline record, the escalation log and the notifications, published after COMMIT.
 */
import type { Actor, Case, Clock, EscalationLevel, PolicyAction } from '@gridloop/domain';
import {
  can, caseSubject, checkEscalation, checkSendDown, isTerminal, levelOfScope, nodeLevelOfCode, placeOfCode, subtreeColumn,
} from '@gridloop/domain';
import type { Database } from '../../adapters/db/database.ts';
import type { EventBus } from '../../events/event-bus.ts';
import { httpError, unwrap } from '../../http/errors.ts';
import { findCaseById } from '../cases/case.repository.ts';
import { createCaseService, notFound, storeVisibility } from '../cases/case.service.ts';
import { appendHistory } from '../deadlines/case-history.ts';
import { DeadlineEngine } from '../deadlines/deadline.engine.ts';
import { findDeadline, lockCase, updateDeadline } from '../deadlines/deadline.repository.ts';
import type { SupervisionAction } from '../deadlines/deadline.schemas.ts';
import { texts } from '../deadlines/deadline.texts.ts';
import { mergeOutbox, newOutbox, publish } from '../notifications/notification.events.ts';
import { notify, recipientsOf } from '../notifications/notification.service.ts';
import type { FigureGroup, Scope } from './supervision.repository.ts';
import { actionCounts, casesAtLevel, deadlineFigures, latestEscalations, meetingCases } from './supervision.repository.ts';

const POLICY: Record<SupervisionAction, PolicyAction> = { escalate: 'case.escalate', send_down: 'case.send_down', urge: 'case.urge', flag: 'case.flag', unflag: 'case.flag' };
const PLACE_COLUMN = { provinceCode: 'province_code', cityCode: 'city_code', countyCode: 'county_code', townshipCode: 'township_code', villageCode: 'village_code', gridCode: 'grid_code' } as const;

export interface ActionInput {
  /** escalate: why; flag: the reason shown on the case. */
  reason?: string;
  /** urge / send_down: the message or instructions; unflag: why the flag is lifted. */
  note?: string;
  /** escalate: the target level (default one up). */
  level?: EscalationLevel;
}

export function createSupervisionService(deps: { database: Database; clock: Clock; events: EventBus }) {
  const { database, clock, events } = deps;
  const engine = new DeadlineEngine(database, clock);
  const cases = createCaseService({ database, clock, events, deadlines: engine });

  function scopeOf(actor: Actor, under: string | undefined): Scope {
    const visibility = storeVisibility(actor);
    if (!visibility) throw httpError(403, 'forbidden', 'You have no territory to supervise', '您没有可督办的辖区');
    if (!under) return { visibility };
    const level = subtreeColumn(under);
    if (!level) throw httpError(400, 'invalid_node_code', `"${under}" is not a territory node code`, `“${under}”不是有效的辖区编码`);
    return { visibility, subtreeColumn: PLACE_COLUMN[level], subtreeCode: level === 'gridCode' ? placeOfCode(under)!.gridCode! : under };
  }

  async function act(actor: Actor, id: string, action: SupervisionAction, input: ActionInput) {
    const seen = await findCaseById(database.db, id);
    if (!seen || !can(actor, 'case.read', caseSubject(seen))) throw notFound();
    if (!can(actor, POLICY[action], caseSubject(seen))) throw httpError(403, 'forbidden', `Your role or scope does not allow "${action}" on this case`, '您的角色或管辖范围不允许对该案件执行此督办操作');
    const text = (action === 'escalate' || action === 'flag' ? input.reason : input.note)?.trim();
    if (!text) throw httpError(422, 'field_required', `Missing required field: ${action === 'escalate' || action === 'flag' ? 'reason' : 'note'}`, '缺少必填项：原因或意见');
    const at = clock.now().toISOString();

    const { c, out } = await database.write(async (trx) => {
      const out = newOutbox();
      let c = await lockCase(trx, database.dialect, id);
      if (!c) throw notFound();
      if (isTerminal(c.status)) throw httpError(409, 'invalid_transition', `The case is ${c.status}`, '案件已结束，不能督办');
      let rec = await findDeadline(trx, id, database.dialect);
      if (!rec) {
        mergeOutbox(out, await engine.ensure(trx, id, new Date(at)));
        rec = await findDeadline(trx, id, database.dialect);
        if (!rec) throw new Error(`no deadline record for ${id}`);
      }
      const cfg = await engine.config(trx);
      const level = rec.level;
      switch (action) {
        case 'escalate': {
          const to = unwrap(checkEscalation(level, input.level));
          ({ case: c, rec } = await engine.changeLevel(trx, cfg, c, rec, to, { reason: 'decision', note: text, actor, at, withEvent: true }, out));
          break;
        }
        case 'send_down': {
          const to = unwrap(checkSendDown(level, c.place, levelOfScope(actor.scopeCode)));
          ({ case: c, rec } = await engine.changeLevel(trx, cfg, c, rec, to, { reason: 'sent_down', note: text, actor, at, withEvent: true }, out));
          break;
        }
        case 'urge': {
          const h = await appendHistory(trx, c, { action: 'urge', note: text, data: { automatic: false, level, stage: rec.stage }, actor, at });
          c = h.case;
          out.caseEvents.push(h);
          rec = { ...rec, urgeCount: rec.urgeCount + 1, lastUrgedAt: at };
          const who = await recipientsOf(trx, c, level, { stage: rec.stage ?? 'handle' });
          out.notifications.push(...(await notify(trx, { kind: 'case.urged', case: c, ...texts.urged(c, text), data: { automatic: false, by: actor.userId }, dedupKey: `urge:${h.event.seq}` }, who, at)));
          break;
        }
        case 'flag':
        case 'unflag': {
          if (action === 'flag' && rec.flagged) throw httpError(409, 'already_flagged', 'The case is already flagged for supervision', '案件已挂牌督办');
          if (action === 'unflag' && !rec.flagged) throw httpError(409, 'not_flagged', 'The case is not flagged', '案件未挂牌督办');
          const h = await appendHistory(trx, c, { action, note: text, data: { level }, actor, at });
          c = h.case;
          out.caseEvents.push(h);
          rec = action === 'flag' ? { ...rec, flagged: true, flagReason: text, flaggedAt: at, flaggedBy: actor.userId } : { ...rec, flagged: false, flagReason: null, flaggedAt: null, flaggedBy: null };
          if (action === 'flag') {
            const who = await recipientsOf(trx, c, level, { stage: rec.stage ?? 'handle', dispatchersAt: level, leadersAt: level });
            out.notifications.push(...(await notify(trx, { kind: 'case.flagged', case: c, ...texts.flagged(c, text), data: { by: actor.userId }, dedupKey: `flag:${h.event.seq}` }, who, at)));
          }
          break;
        }
      }
      rec.nextFireAt = engine.nextFire(cfg, c, rec, new Date(at));
      if (!(await updateDeadline(trx, rec))) throw httpError(409, 'version_conflict', 'The case changed at the same time; reload it', '案件刚被他人更新，请刷新后重试');
      return { c, out };
    });
    publish(events, out);
    return cases.presentWithDeadline(actor, c);
  }

  return {
    act,

    /** What climbed to the caller's level (or `level`) in their scope, with the latest reason. */
    async escalations(actor: Actor, q: { level?: EscalationLevel; under?: string; limit: number; offset: number }) {
      if (!can(actor, 'escalation.read')) throw httpError(403, 'forbidden', 'Only dispatchers and leaders read the escalation list', '只有调度员和领导可以查看提级案件');
      const level = q.level ?? levelOfScope(actor.scopeCode);
      if (!level) throw httpError(400, 'level_required', 'Give the level to list', '请指定层级');
      const page = await casesAtLevel(database.db, scopeOf(actor, q.under), level, q.limit, q.offset);
      const last = await latestEscalations(database.db, page.items.map((c) => c.id));
      const views = await Promise.all(page.items.map((c) => cases.presentWithDeadline(actor, c)));
      return { level, total: page.total, limit: q.limit, offset: q.offset, items: views.map((v) => ({ view: v, escalation: last.get(v.case.id) ?? null })) };
    },

    /** The weekly meeting list 周例会督办清单, each case with why it is on it. */
    async meeting(actor: Actor, q: { under?: string; since?: string }) {
      if (!can(actor, 'supervision.read')) throw httpError(403, 'forbidden', 'Only supervisors, leaders and dispatchers read the meeting list', '无权查看督办清单');
      const now = clock.now();
      const since = q.since ?? new Date(now.getTime() - 7 * 86_400_000).toISOString();
      const list = await meetingCases(database.db, scopeOf(actor, q.under), now.toISOString(), since, 500);
      const views = await Promise.all(list.map((c) => cases.presentWithDeadline(actor, c)));
      return {
        since,
        items: views.map((v) => {
          const d = v.deadline!;
          const reasons: string[] = [];
          if (d.flagged) reasons.push('flagged');
          if (d.state === 'red' || d.overdue) reasons.push('overdue');
          if (d.urgeCount > 0) reasons.push('urged');
          if (d.level === 'county' || d.level === 'city') reasons.push('escalated');
          if (isTerminal(v.case.status)) reasons.push('closed');
          return { view: v, reasons };
        }),
      };
    },

    /** Evaluation figures of deadlines and supervision per unit below `under` (or per department). */
    async figures(actor: Actor, q: { under?: string; from: string; to: string; groupBy?: 'unit' | 'department' }) {
      if (!can(actor, 'supervision.read')) throw httpError(403, 'forbidden', 'Not allowed to read supervision figures', '无权查看督办统计');
      const under = q.under ?? actor.scopeCode ?? undefined;
      const group: FigureGroup = q.groupBy === 'department' ? 'department_id' : childColumn(under);
      const scope = scopeOf(actor, q.under);
      const now = clock.now().toISOString();
      const rows = await deadlineFigures(database.db, scope, group, q.from, q.to, now);
      const actions = await actionCounts(database.db, scope, group, ['urge', 'flag', 'escalate', 'send_down'], q.from, q.to);
      const keys = new Set([...rows.map((r) => r.key), ...actions.keys()]);
      return {
        groupBy: group, from: q.from, to: q.to,
        rows: [...keys].sort().map((key) => {
          const r = rows.find((x) => x.key === key) ?? { key, cases: 0, open: 0, overdue: 0, closedOnTime: 0, closedLate: 0, deferred: 0, flagged: 0 };
          const a = actions.get(key) ?? {};
          const due = r.closedOnTime + r.closedLate + r.overdue;
          return { ...r, onTimeRate: due ? r.closedOnTime / due : null, urges: a.urge ?? 0, flags: a.flag ?? 0, escalations: a.escalate ?? 0, sentDown: a.send_down ?? 0 };
        }),
      };
    },
  };
}

/** The column of the units one level below `under` (city → counties, county → townships …). */
function childColumn(under: string | undefined): FigureGroup {
  switch (under ? nodeLevelOfCode(under) : null) {
    case 'province': return 'city_code';
    case 'city': return 'county_code';
    case 'county': return 'township_code';
    default: return 'village_code';
  }
}

export type SupervisionService = ReturnType<typeof createSupervisionService>;

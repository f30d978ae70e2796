/**
 * A case's history 办理记录 in plain words: one sentence per event, written for the person
 * reading it (the reporter reads "you"; staff read who did what).
 */
import { formatTime, locale } from './i18n.ts';
import type { CaseEventView } from './types.ts';
import { DEFERRAL_REASON, LEVEL, OUTCOME, RATING, ROLE, STATUS, term } from './terms.ts';

export interface TimelineOptions {
  /** The reader is the reporter: sentences say "you". */
  reporterView: boolean;
  /** Department name for an id (falls back to the id). */
  departmentName?: (id: string) => string;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  time: string;
  text: string;
  detail: string | null;
  tone: 'start' | 'work' | 'problem' | 'done';
  attachments: string[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));

function sentence(e: CaseEventView, o: TimelineOptions): [zh: string, en: string, tone: TimelineEntry['tone']] {
  const d = e.data;
  const dept = str(d.departmentId) ? (o.departmentName?.(str(d.departmentId)) ?? str(d.departmentId)) : '';
  const who = e.actorRole ? term(ROLE, e.actorRole) : '';
  switch (e.action) {
    case 'report':
      return o.reporterView && e.actorRole === 'citizen'
        ? ['您提交了诉求，等待综治中心受理', 'You reported the problem; waiting for the centre to accept it', 'start']
        : [`${who}上报了问题`, `${who} reported the problem`, 'start'];
    case 'accept': return ['综治中心已受理（收单）', 'The governance centre accepted the case', 'work'];
    case 'reject': return ['综治中心决定不予受理', 'The centre decided not to take the case', 'problem'];
    case 'merge': return ['与已有的同一问题合并办理', 'Merged with an existing report of the same problem', 'done'];
    case 'dispatch':
      return dept
        ? [`已派单给「${dept}」办理`, `Dispatched to ${dept}`, 'work']
        : ['已派单给网格员办理', 'Dispatched to a grid worker', 'work'];
    case 'start': return ['承办人员已接单，正在办理', 'The handler took the case and is working on it', 'work'];
    case 'return': return ['承办单位退单，综治中心将重新派单', 'Sent back by the handler; the centre will dispatch it again', 'problem'];
    case 'handle': return [`已办结：${term(OUTCOME, str(d.outcome))}，等待核查`, `Handled: ${term(OUTCOME, str(d.outcome))}; waiting for verification`, 'work'];
    case 'resolve_on_spot': return ['网格员已就地处置，等待核查', 'A grid worker resolved it on the spot; waiting for verification', 'work'];
    case 'verify':
      return e.toStatus === 'closed'
        ? ['网格员现场核查通过，已结案', 'Verified on site by a grid worker; closed', 'done']
        : [o.reporterView ? '网格员现场核查通过，请您评价办理结果' : '网格员现场核查通过，等待群众评价', o.reporterView ? 'Verified on site: please rate the result' : 'Verified on site; waiting for the reporter’s rating', 'work'];
    case 'verify_fail': return ['现场核查未通过，退回重新办理', 'Failed verification on site; back to the handler', 'problem'];
    case 'rate': {
      const r = term(RATING, str(d.rating));
      if (str(d.rating) === 'unsatisfied') {
        return [o.reporterView ? `您评价为「${r}」，案件重新办理` : `群众评价「${r}」，案件重办`, o.reporterView ? `You rated it “${r}”; the case is being redone` : `Rated “${r}”; the case is redone`, 'problem'];
      }
      return [o.reporterView ? `您评价为「${r}」，已结案` : `群众评价「${r}」，已结案`, o.reporterView ? `You rated it “${r}”; closed` : `Rated “${r}”; closed`, 'done'];
    }
    case 'close': return ['已结案', 'Closed', 'done'];
    case 'request_extension': return [`承办单位申请延期至 ${formatTime(str(d.until))}`, `The handler asked for more time, until ${formatTime(str(d.until))}`, 'work'];
    case 'approve_extension': return ['延期申请已批准', 'The extension was approved', 'work'];
    case 'refuse_extension': return ['延期申请被驳回', 'The extension was refused', 'work'];
    case 'suspend': return ['案件暂时挂起', 'The case is suspended for now', 'problem'];
    case 'resume': return ['案件恢复办理', 'The case was resumed', 'work'];
    case 'request_deferral': return [`申请挂账（${term(DEFERRAL_REASON, str(d.deferralReason))}）`, `Deferral requested (${term(DEFERRAL_REASON, str(d.deferralReason))})`, 'work'];
    case 'approve_deferral': return ['挂账已批准，将定期复核', 'Deferral approved; it will be reviewed regularly', 'problem'];
    case 'refuse_deferral': return ['挂账申请被驳回，继续办理', 'Deferral refused; work continues', 'work'];
    case 'review_deferral': return ['挂账案件定期复核', 'Deferred case reviewed', 'work'];
    case 'reactivate': return ['挂账销号，重启办理', 'Deferral ended; the case is handled again', 'work'];
    case 'escalate': return [`提级至${term(LEVEL, str(d.toLevel)) || '上一级'}办理`, `Escalated to the ${term(LEVEL, str(d.toLevel)) || 'next'} level`, 'work'];
    case 'send_down': return [`下沉至${term(LEVEL, str(d.toLevel)) || '下一级'}办理`, `Sent down to the ${term(LEVEL, str(d.toLevel)) || 'lower'} level`, 'work'];
    case 'urge': return [d.automatic ? '临近或超过时限，系统已自动催办' : '督办人员已催办', d.automatic ? 'Reminded automatically about the time limit' : 'Urged by a supervisor', 'problem'];
    case 'flag': return ['挂牌督办', 'Flagged for supervision', 'problem'];
    case 'unflag': return ['已摘牌', 'Supervision flag lifted', 'work'];
    default: return [`${e.action} → ${term(STATUS, e.toStatus)}`, `${e.action} → ${term(STATUS, e.toStatus)}`, 'work'];
  }
}

/** What a reader should see beyond the sentence: feedback, reason, comment or note. */
function detailOf(e: CaseEventView): string | null {
  const d = e.data;
  // An escalation's `reason` is a code (overdue, severity…), not words: its note says it.
  const reason = e.action === 'escalate' || e.action === 'send_down' ? '' : str(d.reason);
  const parts = [str(d.feedback), reason, str(d.outcomeNote), str(d.comment), str(d.referredTo), e.note ?? ''].filter((p) => p.trim() !== '');
  return parts.length ? [...new Set(parts)].join(' · ') : null;
}

export function timelineOf(events: readonly CaseEventView[], o: TimelineOptions): TimelineEntry[] {
  return events.map((e) => {
    const [zh, en, tone] = sentence(e, o);
    return { seq: e.seq, at: e.at, time: formatTime(e.at), text: locale.value === 'en' ? en : zh, detail: detailOf(e), tone, attachments: e.attachments };
  });
}

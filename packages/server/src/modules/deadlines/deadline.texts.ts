/** Words the deadline notifications and history entries use (zh is what the pages show). */
import type { Case, EscalationLevel, EscalationReason, Stage } from '@gridloop/domain';
import { CATEGORY_BY_ID, LEVEL_ZH, REASON_ZH } from '@gridloop/domain';

export const STAGE_ZH: Record<Stage, string> = { accept: '受理时限', handle: '办结时限', verify: '核查时限' };

/** 'YYYY-MM-DD HH:mm' in Beijing time (UTC+8, no DST). */
export function beijing(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  let out = recent.get(t);
  if (out === undefined) {
    out = new Date(t + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    // Deadlines repeat (many cases share a day's end): remember the last few hundred.
    if (recent.size > 500) recent.clear();
    recent.set(t, out);
  }
  return out;
}
const recent = new Map<number, string>();

const label = (c: Case): string => `${c.number}（${CATEGORY_BY_ID.get(c.category)?.zh ?? c.category}）`;

export const texts = {
  warning: (c: Case, stage: Stage, due: string) => ({ title: '时限预警', body: `${label(c)}${STAGE_ZH[stage]}将于 ${beijing(due)} 到期，请抓紧办理` }),
  overdue: (c: Case, stage: Stage, due: string) => ({ title: '案件超期', body: `${label(c)}${texts.missed(stage, due)}` }),
  missed: (stage: Stage, due: string) => `${STAGE_ZH[stage]}已于 ${beijing(due)} 届满`,
  urged: (c: Case, note: string) => ({ title: '催办通知', body: `${label(c)}：${note}` }),
  autoUrgeNote: (stage: Stage, due: string) => `${STAGE_ZH[stage]}已于 ${beijing(due)} 届满，系统自动催办，请尽快办理并反馈`,
  escalated: (c: Case, to: EscalationLevel, reason: EscalationReason, note: string | null) => ({
    title: `案件提级至${LEVEL_ZH[to]}`, body: `${label(c)}${REASON_ZH[reason]}${note ? `：${note}` : ''}`,
  }),
  sentDown: (c: Case, to: EscalationLevel, note: string | null) => ({ title: `案件下沉至${LEVEL_ZH[to]}`, body: `${label(c)}发回办理${note ? `，指导意见：${note}` : ''}` }),
  flagged: (c: Case, reason: string) => ({ title: '挂牌督办', body: `${label(c)}已挂牌督办：${reason}` }),
};

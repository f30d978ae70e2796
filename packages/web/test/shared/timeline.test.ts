import { describe, expect, it } from 'vitest';
import { locale } from '../../src/shared/i18n.ts';
import { timelineOf } from '../../src/shared/timeline.ts';
import type { CaseEventView } from '../../src/shared/types.ts';

const ev = (seq: number, action: string, toStatus: string, data: Record<string, unknown> = {}, actorRole = 'dispatcher'): CaseEventView =>
  ({ seq, action, fromStatus: null, toStatus, actorId: 'x', actorRole, at: `2026-03-02T0${seq}:00:00.000Z`, note: null, data, attachments: [] }) as CaseEventView;

describe('timelineOf', () => {
  const events = [
    ev(1, 'report', 'reported', {}, 'citizen'),
    ev(2, 'dispatch', 'dispatched', { departmentId: 'dept-water' }),
    ev(3, 'handle', 'handled', { outcome: 'solved', feedback: '已修复管道' }, 'department_staff'),
    ev(4, 'verify', 'verified', {}, 'grid_worker'),
    ev(5, 'rate', 'dispatched', { rating: 'unsatisfied', comment: '还是没水' }, 'citizen'),
  ];

  it('tells the reporter what happened in plain words', () => {
    locale.value = 'zh';
    const lines = timelineOf(events, { reporterView: true, departmentName: (id) => (id === 'dept-water' ? '水务局' : id) });
    expect(lines.map((l) => l.text)).toEqual([
      '您提交了诉求，等待综治中心受理',
      '已派单给「水务局」办理',
      '已办结：已解决，等待核查',
      '网格员现场核查通过，请您评价办理结果',
      '您评价为「不满意」，案件重新办理',
    ]);
    expect(lines[2].detail).toBe('已修复管道');
    expect(lines[4]).toMatchObject({ tone: 'problem', detail: '还是没水' });
    expect(lines[0].time).toBe('03/02 09:00');
  });

  it('speaks English after the switch', () => {
    locale.value = 'en';
    const lines = timelineOf(events.slice(0, 2), { reporterView: false });
    expect(lines.map((l) => l.text)).toEqual(['Citizen reported the problem', 'Dispatched to dept-water']);
    locale.value = 'zh';
  });
});

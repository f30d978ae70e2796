import { TRANSITIONS } from '@gridloop/domain';
import { describe, expect, it } from 'vitest';
import { ACTION_FORMS, actionBody, missingFields } from '../../src/shared/action-forms.ts';

describe('ACTION_FORMS', () => {
  it('asks for every field the domain requires, for every action', () => {
    for (const t of TRANSITIONS) {
      const form = ACTION_FORMS[t.action];
      expect(form, t.action).toBeDefined();
      const names = form.fields.map((f) => f.name);
      for (const r of t.requires) expect(names, `${t.action} needs ${r}`).toContain(r);
      for (const r of t.requires) expect(form.fields.find((f) => f.name === r)?.required, `${t.action}.${r} required`).toBe(true);
    }
  });

  it('knows the conditional and either-or requirements', () => {
    expect(missingFields('handle', { outcome: 'explained', feedback: 'ok' })).toEqual(['outcomeNote']);
    expect(missingFields('handle', { outcome: 'not_our_responsibility', feedback: 'ok' })).toEqual(['referredTo']);
    expect(missingFields('dispatch', {})).toEqual(['departmentId']);
    expect(missingFields('dispatch', { departmentId: 'd', workerId: 'w' })).toEqual(['workerId']);
    expect(missingFields('dispatch', { workerId: 'w' })).toEqual([]);
  });

  it('builds the body with the version, without blanks, with ISO instants', () => {
    expect(actionBody('request_extension', { until: '2026-03-05T10:00', reason: ' busy ', note: '' }, 4)).toEqual({
      version: 4, until: new Date('2026-03-05T10:00').toISOString(), reason: ' busy ',
    });
  });
});

/**
 * What each case action asks for 操作表单: the fields the form shows, which are required (as the
 * domain's transition table says), and the action's look. The buttons themselves come from the
 * case's `actions` (what the server says the caller may do now), never from the role.
 */
import type { CaseAction } from './types.ts';

export type FieldKind = 'text' | 'textarea' | 'department' | 'departments' | 'worker' | 'case' | 'outcome' | 'rating' | 'deferralReason' | 'datetime' | 'photos';

export interface ActionField {
  name: 'note' | 'reason' | 'departmentId' | 'cooperatingDepartmentIds' | 'workerId' | 'mergedIntoId' | 'outcome' | 'outcomeNote' | 'referredTo' | 'feedback' | 'attachments' | 'rating' | 'comment' | 'until' | 'deferralReason' | 'reviewAt';
  kind: FieldKind;
  required?: boolean;
  /** Required only when another field has a value. */
  requiredWhen?: { field: ActionField['name']; equals: string };
}

export interface ActionForm {
  fields: ActionField[];
  tone: 'primary' | 'normal' | 'danger';
}

const note = (required = false): ActionField => ({ name: 'note', kind: 'textarea', required });
const reason: ActionField = { name: 'reason', kind: 'textarea', required: true };
const photos: ActionField = { name: 'attachments', kind: 'photos' };

export const ACTION_FORMS: Record<CaseAction, ActionForm> = {
  accept: { fields: [note()], tone: 'primary' },
  reject: { fields: [reason], tone: 'danger' },
  merge: { fields: [{ name: 'mergedIntoId', kind: 'case', required: true }, note()], tone: 'normal' },
  dispatch: {
    fields: [
      { name: 'departmentId', kind: 'department' },
      { name: 'cooperatingDepartmentIds', kind: 'departments' },
      { name: 'workerId', kind: 'worker' },
      note(),
    ],
    tone: 'primary',
  },
  start: { fields: [note()], tone: 'primary' },
  return: { fields: [reason], tone: 'danger' },
  handle: {
    fields: [
      { name: 'outcome', kind: 'outcome', required: true },
      { name: 'feedback', kind: 'textarea', required: true },
      { name: 'outcomeNote', kind: 'textarea', requiredWhen: { field: 'outcome', equals: 'explained' } },
      { name: 'referredTo', kind: 'text', requiredWhen: { field: 'outcome', equals: 'not_our_responsibility' } },
      photos,
    ],
    tone: 'primary',
  },
  resolve_on_spot: { fields: [{ name: 'feedback', kind: 'textarea', required: true }, photos], tone: 'primary' },
  verify: { fields: [note(), photos], tone: 'primary' },
  verify_fail: { fields: [note(true), photos], tone: 'danger' },
  rate: { fields: [{ name: 'rating', kind: 'rating', required: true }, { name: 'comment', kind: 'textarea' }], tone: 'primary' },
  close: { fields: [note(true)], tone: 'normal' },
  request_extension: { fields: [{ name: 'until', kind: 'datetime', required: true }, reason], tone: 'normal' },
  approve_extension: { fields: [note()], tone: 'primary' },
  refuse_extension: { fields: [reason], tone: 'danger' },
  suspend: { fields: [reason], tone: 'normal' },
  resume: { fields: [note()], tone: 'primary' },
  request_deferral: { fields: [{ name: 'deferralReason', kind: 'deferralReason', required: true }, note(true)], tone: 'normal' },
  approve_deferral: { fields: [{ name: 'reviewAt', kind: 'datetime', required: true }, note()], tone: 'primary' },
  refuse_deferral: { fields: [reason], tone: 'danger' },
  review_deferral: { fields: [note(true), { name: 'reviewAt', kind: 'datetime', required: true }], tone: 'normal' },
  reactivate: { fields: [note(true)], tone: 'primary' },
};

export type ActionValues = Partial<Record<ActionField['name'], string | string[]>>;

/** The fields still missing for `action` with `values` (empty list: ready to send). */
export function missingFields(action: CaseAction, values: ActionValues): ActionField['name'][] {
  const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
  const missing: ActionField['name'][] = [];
  for (const f of ACTION_FORMS[action].fields) {
    const needed = f.required || (f.requiredWhen && values[f.requiredWhen.field] === f.requiredWhen.equals);
    if (needed && blank(values[f.name])) missing.push(f.name);
  }
  if (action === 'dispatch' && blank(values.departmentId) === blank(values.workerId)) missing.push(blank(values.departmentId) ? 'departmentId' : 'workerId');
  return missing;
}

/** The request body: blanks left out; datetime-local values sent as ISO instants. */
export function actionBody(action: CaseAction, values: ActionValues, version: number): Record<string, unknown> {
  const body: Record<string, unknown> = { version };
  for (const f of ACTION_FORMS[action].fields) {
    const v = values[f.name];
    if (v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)) continue;
    body[f.name] = f.kind === 'datetime' && typeof v === 'string' ? new Date(v).toISOString() : v;
  }
  return body;
}

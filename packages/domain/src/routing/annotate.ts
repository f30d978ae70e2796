/**
 * History entries that are not state changes 办理记录附注: the surviving case's progress passed on to
 * a merged duplicate's reporter. Like a transition they bump the case version (so history seq =
 * version stays true) but leave the status alone — which is why they are written only on merged
 * (terminal) cases, never on live ones where they would race with the people working the case.
 *
 * Also the one rating that is not the `rate` transition: the reporter of a merged duplicate rates
 * the surviving case's result (their own case is closed as merged; their judgement is kept on it).
 */
import type { Case, Rating } from '../case/case.ts';
import { RATINGS } from '../case/case.ts';
import type { Transitioned } from '../case/state-machine.ts';
import type { Actor } from '../people/roles.ts';
import { can, caseSubject } from '../policy/policy.ts';
import type { Result } from '../result.ts';
import { fail, ok } from '../result.ts';

export const ANNOTATIONS = [
  'survivor_update', // 主案办理进展（告知合并件反映人）
  'rate_survivor', // 合并件反映人评价主案
] as const;
export type Annotation = (typeof ANNOTATIONS)[number];

/** Who writes an annotation: a person, or the platform itself (actorId `system:…`). */
export interface AnnotationActor {
  userId: string;
  role: string;
}

export function annotate(c: Case, action: Annotation, actor: AnnotationActor, now: string, note: string | null, data: Record<string, unknown> = {}, patch: Partial<Pick<Case, 'rating' | 'ratingComment'>> = {}): Transitioned {
  const next: Case = { ...c, ...patch, version: c.version + 1, updatedAt: now };
  return {
    next,
    event: { caseId: c.id, action, fromStatus: c.status, toStatus: c.status, actorId: actor.userId, actorRole: actor.role, at: now, note, data, attachments: [] },
  };
}

/** States of the surviving case whose result its merged duplicates' reporters may judge. */
export const RATEABLE_SURVIVOR_STATES = ['verified', 'closed'] as const;

/**
 * The reporter of merged case `merged` rates the result of `survivor`. The rating is stored on the
 * merged case (so satisfaction counts every reporter) and noted on the survivor by the caller.
 */
export function rateSurvivor(merged: Case, survivor: Case, actor: Actor, input: { rating?: string; comment?: string }, now: string): Result<Transitioned> {
  if (actor.role !== 'citizen' || merged.reporterId !== actor.userId || !can(actor, 'case.read', caseSubject(merged))) {
    return fail('forbidden', 'Only the reporter of the merged case may rate the case it was merged into', '只有被合并案件的反映人可以评价主案');
  }
  // `survivor` is the case the duplicate now follows (its mergedIntoId, or where that was merged in turn).
  if (merged.status !== 'merged' || !merged.mergedIntoId || survivor.id === merged.id) {
    return fail('not_merged', 'This case was not merged into that case', '该案件未被合并到此主案');
  }
  if (!(RATEABLE_SURVIVOR_STATES as readonly string[]).includes(survivor.status)) {
    return fail('survivor_not_finished', 'The surviving case has not been handled and verified yet', '主案尚未办结核查，暂不能评价', { status: survivor.status });
  }
  if (merged.rating) return fail('already_rated', 'You have already rated this result', '您已评价过该结果');
  if (!input.rating || !(RATINGS as readonly string[]).includes(input.rating)) {
    return fail('field_required', 'Missing required field(s): rating', '缺少必填项：rating', { fields: ['rating'] });
  }
  const rating = input.rating as Rating;
  return ok(annotate(merged, 'rate_survivor', { userId: actor.userId, role: actor.role }, now, input.comment?.trim() || null,
    { survivorId: survivor.id, survivorNumber: survivor.number, rating, ...(input.comment ? { comment: input.comment } : {}) },
    { rating, ratingComment: input.comment?.trim() || null }));
}

/**
 * The Dispatch issue's endpoints 智能分派 as the consoles use them: routing suggestions with
 * reasons, similar cases, whistles (吹哨报到). Each answers null when the server does not offer
 * the route (404 `route_not_found`), so the consoles fall back to what the core API gives.
 */
import { ApiError, api } from './api.ts';

export interface Reason { code: string; message: string; message_zh: string }

export interface Suggestion {
  route: string;
  fastTrack: boolean;
  consultation: boolean;
  confidence: number;
  timeLimit: { amount: number; unit: string } | null;
  candidates: {
    target: { kind: 'grid_worker' | 'department' | 'government'; workerId?: string; departmentId?: string; cooperatingDepartmentIds?: string[]; regionCode?: string };
    score: number;
    reasons: Reason[];
  }[];
  reasons: Reason[];
}

export interface SimilarItem {
  caseId: string;
  score: number;
  distanceM: number | null;
  ageDays: number;
  likelyDuplicate: boolean;
  mergeable: boolean;
  case: { id: string; number: string; status: string; category: string; description: string; address: string | null; createdAt: string };
}

export interface Whistle {
  id: string;
  caseId: string;
  kind: 'whistle' | 'consultation';
  note: string | null;
  limitMinutes: number;
  createdAt: string;
  summons: { departmentId: string; dueAt: string; reportedAt: string | null; state: 'pending' | 'reported_on_time' | 'reported_late' | 'missed' }[];
}

async function optional<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && e.code === 'route_not_found') return null;
    throw e;
  }
}

const enc = encodeURIComponent;

export const dispatchApi = {
  routing: (caseId: string) => optional(() => api.get<Suggestion>(`/api/cases/${enc(caseId)}/routing`)),
  similar: (caseId: string) => optional(async () => (await api.get<{ items: SimilarItem[] }>(`/api/cases/${enc(caseId)}/similar`)).items),
  whistles: (caseId: string) => optional(() => api.get<Whistle[]>(`/api/cases/${enc(caseId)}/whistles`)),
  whistle: (caseId: string, body: { departmentIds: string[]; limitMinutes?: number; note?: string }) => api.post<Whistle>(`/api/cases/${enc(caseId)}/whistles`, body),
  mySummons: () => optional(() => api.get<{ whistle: Whistle; case: { id: string; number: string; description: string } | null }[]>('/api/whistles/mine')),
  reportIn: (whistleId: string, note?: string) => api.post<Whistle>(`/api/whistles/${enc(whistleId)}/report-in`, note ? { note } : {}),
};

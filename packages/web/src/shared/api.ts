/**
 * The one HTTP client of the pages: JSON in and out, `Authorization: Bearer <token>`, errors as
 * ApiError carrying the server's `{ code, message, message_zh }`.
 */
import { clearSession, getToken } from './session.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly message_zh: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(status: number, code: string, message: string, message_zh: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.message_zh = message_zh;
    this.details = details;
  }
  /** True when the request never got an answer (offline, server down): worth retrying later. */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send without the session token (login). */
  anonymous?: boolean;
}

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();
/** Called when the server refuses the token (expired, logged out elsewhere). */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: Partial<{ code: string; message: string; message_zh: string; details: Record<string, unknown> }> = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    body = {};
  }
  return new ApiError(res.status, body.code ?? `http_${res.status}`, body.message ?? res.statusText, body.message_zh ?? body.message ?? res.statusText, body.details);
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  const token = opts.anonymous ? null : getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body, signal: opts.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The network is unavailable', '网络不可用，请稍后重试');
  }
  if (res.status === 401 && token) {
    clearSession();
    for (const l of unauthenticatedListeners) l();
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};

/** A random key for `Idempotency-Key`: the same key on every retry of one submission. */
export function newIdempotencyKey(prefix = 'web'): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Uploads one photo (multipart field `file`); returns the attachment id. */
export async function uploadPhoto(blob: Blob, name: string): Promise<{ id: string }> {
  const form = new FormData();
  form.append('file', blob, name);
  return request<{ id: string }>('POST', '/api/attachments', { body: form });
}

/**
 * Fetches a file the server sends (an export) with the session token and hands it to the browser
 * as a download named `filename`. Returns the number of bytes saved.
 */
export async function downloadFile(path: string, query: RequestOptions['query'], filename: string): Promise<number> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), { headers });
  } catch {
    throw new ApiError(0, 'network_error', 'The network is unavailable', '网络不可用，请稍后重试');
  }
  if (!res.ok) throw await errorOf(res);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob.size;
}

import type { SessionInfo } from '@medsec/core';

/** A problem document from the API, as an Error. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly reason: string | undefined;
  readonly errors: { path: string; message: string }[];
  readonly requestId: string | undefined;

  constructor(
    status: number,
    body: {
      code?: string;
      reason?: string;
      detail?: string;
      title?: string;
      errors?: { path: string; message: string }[];
      requestId?: string;
    },
  ) {
    super(body.detail ?? body.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? 'INTERNAL';
    this.reason = body.reason;
    this.errors = body.errors ?? [];
    this.requestId = body.requestId;
  }
}

interface Hooks {
  /** The current CSRF token (from the session document). */
  csrf: () => string | undefined;
  /** Called when any response carries a session document. */
  onSession: (session: SessionInfo) => void;
  /** Called on 401 outside the sign-in steps: the session has ended. */
  onSessionEnded: () => void;
  /** Called on 403 REAUTH_REQUIRED; resolves true once the user re-authenticated. */
  onReauthRequired: () => Promise<boolean>;
  /** Called after every successful request that extended the server's idle timeout (idle timer). */
  onActivity: () => void;
}

const hooks: Hooks = {
  csrf: () => undefined,
  onSession: () => undefined,
  onSessionEnded: () => undefined,
  onReauthRequired: async () => false,
  onActivity: () => undefined,
};

export const configureApi = (next: Partial<Hooks>): void => {
  Object.assign(hooks, next);
};

/**
 * Sign-in steps whose 401 answers mean "wrong credentials", not "your session ended" (exact paths, plus the
 * public invitation routes).
 */
const AUTH_PATHS = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/mfa/verify',
  '/api/v1/auth/reauth',
  '/api/v1/auth/password',
  '/api/v1/auth/session',
  '/api/v1/setup',
]);
const isAuthPath = (path: string): boolean => {
  const bare = path.split('?')[0] ?? path;
  return (
    AUTH_PATHS.has(bare) ||
    bare.startsWith('/api/v1/invitations/by-token/') ||
    bare === '/api/v1/invitations/accept'
  );
};

/** Passive reads that the server answers without extending the idle timeout. */
const PASSIVE_PATHS = new Set(['/api/v1/auth/session']);

/** Server clock minus local clock, from the Date header of the latest response (1 s resolution). */
let serverOffsetMs = 0;
/** The server's current time, estimated from the last response's Date header. */
export const serverNow = (): number => Date.now() + serverOffsetMs;

/** Calls the API: JSON in and out, CSRF header on writes, problem documents thrown as ApiError. */
export const api = async <T>(method: string, path: string, body?: unknown, retried = false): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['x-csrf-token'] = hooks.csrf() ?? 'anonymous';
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const date = res.headers.get('date');
  if (date) {
    const parsed = Date.parse(date);
    if (!Number.isNaN(parsed)) {
      // the header has whole seconds: assume the middle of that second
      serverOffsetMs = parsed + 500 - Date.now();
    }
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const error = new ApiError(res.status, (data ?? {}) as ConstructorParameters<typeof ApiError>[1]);
    if (res.status === 401 && (error.reason === 'SESSION_EXPIRED' || !isAuthPath(path))) {
      hooks.onSessionEnded();
    }
    if (res.status === 403 && error.reason === 'REAUTH_REQUIRED' && !retried) {
      if (await hooks.onReauthRequired()) {
        return api<T>(method, path, body, true);
      }
    }
    throw error;
  }
  if (!PASSIVE_PATHS.has(path)) {
    hooks.onActivity();
  }
  const session = (data as { session?: SessionInfo } | undefined)?.session;
  if (session) {
    hooks.onSession(session);
  }
  return data as T;
};

export const get = <T>(path: string): Promise<T> => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown): Promise<T> => api<T>('POST', path, body);
export const patch = <T>(path: string, body?: unknown): Promise<T> => api<T>('PATCH', path, body);
export const put = <T>(path: string, body?: unknown): Promise<T> => api<T>('PUT', path, body);
export const del = <T>(path: string): Promise<T> => api<T>('DELETE', path);

export const query = (params: Record<string, string | number | undefined | null>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
};

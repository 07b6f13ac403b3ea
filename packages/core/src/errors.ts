/**
 * The one error type of MedSec Workbench. Services throw it; only `server/src/http/problem.ts`
 * maps a code to an HTTP status, and the CLI maps it to an exit code.
 */
export const ErrorCode = {
  /** Input failed a schema or a domain rule (bad field, weak password, unknown field). */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** No valid session or token, or sign-in failed (the message never says which part). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Authenticated, but the role lacks the permission, or re-authentication is needed. */
  FORBIDDEN: 'FORBIDDEN',
  /** The thing does not exist in the caller's organization (also used to hide other tenants' rows). */
  NOT_FOUND: 'NOT_FOUND',
  /** A unique value is taken or the state does not allow the change. */
  CONFLICT: 'CONFLICT',
  /** A precondition failed: stale `If-Match`, pending migrations, setup already done, CSRF token missing. */
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  /** The body or an upload exceeds the configured limit. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The content type or file format is not accepted. */
  UNSUPPORTED_FORMAT: 'UNSUPPORTED_FORMAT',
  /** Too many requests from an address or for an account. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Anything unexpected; the details are logged, never sent. */
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Domain sub-codes a client must branch on (carried in `reason`). */
export const ErrorReason = {
  REAUTH_REQUIRED: 'REAUTH_REQUIRED',
  CSRF_FAILED: 'CSRF_FAILED',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  MFA_REQUIRED: 'MFA_REQUIRED',
  PASSWORD_CHANGE_REQUIRED: 'PASSWORD_CHANGE_REQUIRED',
  MFA_ENROLLMENT_REQUIRED: 'MFA_ENROLLMENT_REQUIRED',
  SETUP_DONE: 'SETUP_DONE',
  PENDING_MIGRATIONS: 'PENDING_MIGRATIONS',
} as const;
export type ErrorReason = (typeof ErrorReason)[keyof typeof ErrorReason];

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly reason: ErrorReason | undefined;

  constructor(
    code: ErrorCode,
    options: { detail?: string; errors?: FieldError[]; reason?: ErrorReason; cause?: unknown } = {},
  ) {
    super(options.detail ?? code, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = options.detail;
    this.errors = options.errors;
    this.reason = options.reason;
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;

/** CLI exit codes (STYLE.md): 1 internal, 2 usage, 3 validation, 4 not found. */
export const exitCodeFor = (code: ErrorCode): number => {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.PAYLOAD_TOO_LARGE:
    case ErrorCode.UNSUPPORTED_FORMAT:
      return 3;
    case ErrorCode.NOT_FOUND:
      return 4;
    default:
      return 1;
  }
};

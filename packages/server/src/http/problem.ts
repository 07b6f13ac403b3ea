import { AppError, ErrorCode, type Problem } from '@medsec/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { translateDbError } from '../db/errors.ts';

/** The one place that maps error codes to HTTP statuses and bilingual titles (RFC 9457). */
const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_FORMAT: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

const TITLES: Record<ErrorCode, { en: string; ko: string }> = {
  VALIDATION_FAILED: { en: 'Invalid input', ko: '입력값이 올바르지 않습니다' },
  UNAUTHENTICATED: { en: 'Authentication required', ko: '인증이 필요합니다' },
  FORBIDDEN: { en: 'Not allowed', ko: '권한이 없습니다' },
  NOT_FOUND: { en: 'Not found', ko: '찾을 수 없습니다' },
  CONFLICT: { en: 'Conflict', ko: '충돌이 발생했습니다' },
  PRECONDITION_FAILED: { en: 'Precondition failed', ko: '사전 조건을 충족하지 않습니다' },
  PAYLOAD_TOO_LARGE: { en: 'Request too large', ko: '요청이 너무 큽니다' },
  UNSUPPORTED_FORMAT: { en: 'Unsupported format', ko: '지원하지 않는 형식입니다' },
  RATE_LIMITED: { en: 'Too many requests', ko: '요청이 너무 많습니다' },
  INTERNAL: { en: 'Internal error', ko: '내부 오류가 발생했습니다' },
};

export const statusFor = (code: ErrorCode): number => STATUS[code];

const prefersKorean = (request: FastifyRequest): boolean => {
  const header = request.headers['accept-language'];
  return typeof header === 'string' && /^\s*ko\b/i.test(header);
};

export const problemFor = (request: FastifyRequest, error: AppError): Problem => {
  const title = TITLES[error.code];
  return {
    type: `urn:medsec:problem:${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: prefersKorean(request) ? title.ko : title.en,
    status: STATUS[error.code],
    code: error.code,
    ...(error.reason ? { reason: error.reason } : {}),
    ...(error.detail ? { detail: error.detail } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
    requestId: String(request.id),
  };
};

export const sendProblem = (request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply =>
  reply
    .status(STATUS[error.code])
    .type('application/problem+json; charset=utf-8')
    .send(problemFor(request, error));

/** Converts anything thrown into an AppError; unknown errors become INTERNAL (logged in full by the caller). */
export const toAppError = (raw: unknown): { error: AppError; unexpected: boolean } => {
  const translated = translateDbError(raw);
  if (translated instanceof AppError) {
    return { error: translated, unexpected: false };
  }
  if (hasZodFastifySchemaValidationErrors(raw)) {
    const errors = raw.validation.map((v) => {
      const where = raw.validationContext ?? 'body';
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return { path: path ? `${where}.${path}` : where, message: v.message ?? 'invalid' };
    });
    return {
      error: new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: 'The request is not valid / 요청이 올바르지 않습니다',
        errors,
      }),
      unexpected: false,
    };
  }
  if (isResponseSerializationError(raw)) {
    return { error: new AppError(ErrorCode.INTERNAL), unexpected: true };
  }
  const fe = raw as Partial<FastifyError> | null;
  const status = fe?.statusCode;
  if (fe?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
    return {
      error: new AppError(ErrorCode.PAYLOAD_TOO_LARGE, {
        detail: 'The request body exceeds the limit / 요청 본문이 한도를 초과했습니다',
      }),
      unexpected: false,
    };
  }
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
    return {
      error: new AppError(ErrorCode.UNSUPPORTED_FORMAT, {
        detail: 'Send application/json / application/json 형식으로 보내세요',
      }),
      unexpected: false,
    };
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Malformed JSON, empty JSON body, bad content length and similar client errors.
    return {
      error: new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: 'The request body could not be read / 요청 본문을 읽을 수 없습니다',
        errors: [
          {
            path: 'body',
            message:
              fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe?.name === 'SyntaxError'
                ? 'malformed JSON'
                : 'unreadable body',
          },
        ],
      }),
      unexpected: false,
    };
  }
  return { error: new AppError(ErrorCode.INTERNAL), unexpected: true };
};

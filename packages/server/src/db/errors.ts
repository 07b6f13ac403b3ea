import { AppError, ErrorCode } from '@medsec/core';

/** Maps PostgreSQL SQLSTATEs (identical on PGlite and PostgreSQL) to AppError; anything else passes through. */
export const translateDbError = (error: unknown): unknown => {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    return error;
  }
  switch (code) {
    case '23505':
      return new AppError(ErrorCode.CONFLICT, {
        detail: 'The value already exists / 이미 존재하는 값입니다',
        cause: error,
      });
    case '23514':
    case '22P02':
    case '22001':
    case '22007':
      return new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: 'A value was rejected by the database',
        cause: error,
      });
    case '23503':
      return new AppError(ErrorCode.CONFLICT, {
        detail: 'A referenced record does not exist or is still in use',
        cause: error,
      });
    default:
      return error;
  }
};

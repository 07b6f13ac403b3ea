import { AppError, ErrorCode } from '@medsec/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** One uploaded file with the form fields sent before it (multipart/form-data; the file part last). */
export interface Upload {
  fileName: string;
  bytes: Buffer;
  fields: Record<string, string>;
}

/** A file name safe to store and echo back: no path separators or control characters, at most 200 characters. */
const safeName = (name: string): string =>
  [...name]
    .map((c) => (c === '/' || c === '\\' || (c.codePointAt(0) ?? 0) < 0x20 || c === '\u007f' ? '_' : c))
    .join('')
    .trim()
    .slice(0, 200) || 'file';

/**
 * @param options.maxBytes a route's own file-size limit (the SBOM limit), instead of the configured upload limit
 * @throws VALIDATION_FAILED without a file; PAYLOAD_TOO_LARGE over the configured upload limit.
 */
export const readUpload = async (
  request: FastifyRequest,
  options: { maxBytes?: number } = {},
): Promise<Upload> => {
  if (!request.isMultipart()) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: 'Send the file as multipart/form-data / 파일을 multipart/form-data로 보내세요',
    });
  }
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  try {
    part = await request.file(options.maxBytes ? { limits: { fileSize: options.maxBytes } } : undefined);
  } catch (cause) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, { detail: 'Malformed upload / 잘못된 업로드', cause });
  }
  if (!part) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, { detail: 'No file in the upload / 파일이 없습니다' });
  }
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (cause) {
    throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, {
      detail: `The file is larger than the upload limit${options.maxBytes ? ` of ${options.maxBytes} bytes` : ''} / 업로드 한도를 초과했습니다`,
      cause,
    });
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(part.fields)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v && typeof v === 'object' && 'value' in v && typeof v.value === 'string' && key !== part.fieldname) {
      fields[key] = v.value;
    }
  }
  return { fileName: safeName(part.filename), bytes, fields };
};

/**
 * Sends a stored file as a download: always an attachment (never rendered inline), text as plain text, a sandbox CSP,
 * and the SHA-256 of what is served.
 */
export const sendStoredFile = (
  reply: FastifyReply,
  file: { fileName: string; mediaType: string; sha256: string; bytes: Buffer },
) =>
  reply
    .type(file.mediaType.startsWith('text/') ? 'text/plain; charset=utf-8' : file.mediaType)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('x-content-sha256', file.sha256)
    .send(file.bytes);

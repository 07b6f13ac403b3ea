import { AppError, ErrorCode } from '@medsec/core';
import { unzipSync } from 'fflate';
import { fileTypeFromBuffer } from 'file-type';

/**
 * What an uploaded file really is, decided from its bytes (file-type's signatures, then our own checks for text,
 * JSON and SARIF), never from its name alone. Executables, scripts and active content (HTML, SVG, macro-enabled
 * Office files, PDFs with JavaScript or launch actions) are refused, also inside zip archives.
 * The name is only used to refuse script extensions that content sniffing cannot see (a shell script is text).
 */
export interface InspectedFile {
  mediaType: string;
  kind: 'pdf' | 'docx' | 'xlsx' | 'image' | 'text' | 'json' | 'sarif' | 'zip';
}

const ALLOWED_BINARY: Record<string, InspectedFile['kind']> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'application/zip': 'zip',
};

const SCRIPT_EXTENSIONS =
  /\.(sh|bash|zsh|ksh|csh|ps1|psm1|bat|cmd|com|exe|dll|so|dylib|msi|scr|js|mjs|cjs|vbs|vbe|wsf|hta|jar|py|pl|rb|php|html?|xhtml|svg|jsp|asp|aspx|lnk|reg|app|apk|elf|bin|run|docm|xlsm|pptm|dotm|xltm)$/i;

const refuse = (detail: string): never => {
  throw new AppError(ErrorCode.VALIDATION_FAILED, { detail });
};

const MAX_ARCHIVE_ENTRIES = 1000;
const MAX_ARCHIVE_EXPANDED = 512 * 1024 * 1024;

const looksLikeText = (bytes: Uint8Array): boolean => {
  if (bytes.includes(0)) {
    return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

const ACTIVE_TEXT = /^\s*(#!|<\?php|<!doctype\s+html|<html|<script|<svg|<\?xml[^>]*>\s*<svg|@echo\s+off)/i;

const inspectText = (name: string, bytes: Uint8Array): InspectedFile => {
  const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)));
  if (ACTIVE_TEXT.test(text) || /<script[\s>]/i.test(text)) {
    refuse(
      `${name}: scripts and active content (HTML, SVG, shell) are not accepted / 스크립트·활성 콘텐츠는 허용되지 않습니다`,
    );
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const doc = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      if (doc && typeof doc === 'object' && Array.isArray(doc.runs) && typeof doc.version === 'string') {
        return { mediaType: 'application/sarif+json', kind: 'sarif' };
      }
      return { mediaType: 'application/json', kind: 'json' };
    } catch {
      // not JSON: plain text
    }
  }
  return { mediaType: 'text/plain; charset=utf-8', kind: 'text' };
};

const inspectPdf = (name: string, bytes: Uint8Array) => {
  const raw = Buffer.from(bytes).toString('latin1');
  if (/\/(JavaScript|JS|Launch|EmbeddedFile)\b/.test(raw)) {
    refuse(
      `${name}: PDF with JavaScript, launch actions or embedded files is not accepted / 활성 콘텐츠가 있는 PDF`,
    );
  }
};

/** Inspects each member of an archive (one level of nesting for archives inside archives). */
const inspectZip = async (name: string, bytes: Uint8Array, depth: number): Promise<void> => {
  let entries: Record<string, Uint8Array>;
  let count = 0;
  let expanded = 0;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        count++;
        expanded += f.originalSize;
        if (count > MAX_ARCHIVE_ENTRIES || expanded > MAX_ARCHIVE_EXPANDED) {
          refuse(`${name}: the archive is too large when expanded / 압축 해제 크기 초과`);
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    return refuse(`${name}: not a readable zip archive / 읽을 수 없는 압축 파일`);
  }
  for (const [member, content] of Object.entries(entries)) {
    if (member.endsWith('/')) {
      continue;
    }
    if (member.includes('..') || member.startsWith('/')) {
      refuse(`${name}: unsafe path ${member} in the archive`);
    }
    await inspectFile(`${name}!${member}`, content, depth + 1);
  }
};

const inspectOffice = (name: string, bytes: Uint8Array) => {
  let hasMacros = false;
  try {
    unzipSync(bytes, {
      filter: (f) => {
        if (/vbaProject\.bin$|activeX|\.bin$/i.test(f.name)) {
          hasMacros = true;
        }
        return false;
      },
    });
  } catch {
    refuse(`${name}: damaged Office document / 손상된 문서`);
  }
  if (hasMacros) {
    refuse(
      `${name}: Office documents with macros or ActiveX are not accepted / 매크로 포함 문서는 허용되지 않습니다`,
    );
  }
};

/** @throws VALIDATION_FAILED (with the reason, Korean and English) when the file is not an accepted kind. */
export const inspectFile = async (name: string, bytes: Uint8Array, depth = 0): Promise<InspectedFile> => {
  if (SCRIPT_EXTENSIONS.test(name)) {
    refuse(`${name}: executables and scripts are not accepted / 실행 파일·스크립트는 허용되지 않습니다`);
  }
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    const kind = ALLOWED_BINARY[detected.mime];
    if (!kind) {
      return refuse(
        `${name}: ${detected.mime} content is not accepted (PDF, DOCX, XLSX, images, text, JSON, SARIF, zip) / 허용되지 않는 형식`,
      );
    }
    if (kind === 'pdf') {
      inspectPdf(name, bytes);
    }
    if (kind === 'docx' || kind === 'xlsx') {
      inspectOffice(name, bytes);
    }
    if (kind === 'zip') {
      if (depth >= 2) {
        refuse(`${name}: archives nested more than twice are not accepted`);
      }
      await inspectZip(name, bytes, depth);
    }
    return { mediaType: detected.mime, kind };
  }
  if (looksLikeText(bytes)) {
    return inspectText(name, bytes);
  }
  return refuse(`${name}: unknown binary content is not accepted / 알 수 없는 형식`);
};

import type { IssueSink } from './issues.ts';
import { joinPointer } from './issues.ts';
import { joinLicenses, list, normalizeHash, normalizeLicenseExpression, record, text } from './normalize.ts';
import type { Hash, Party, Property } from './sboms.schemas.ts';

/** What the CycloneDX field readers need to know about the document. */
export interface CdxFieldCtx {
  sink: IssueSink;
  specVersion: string;
  xml: boolean;
}

/** Licences of a CycloneDX `licenses` array: one canonical expression plus free-text names. */
export const readCdxLicenses = (
  raw: unknown,
  pointer: string,
  ctx: CdxFieldCtx,
): { licenses?: string; licenseNames: string[] } => {
  const expressions: string[] = [];
  const names: string[] = [];
  const items = list(raw);
  const issue = (at: string, en: string, ko: string, severity?: 'warning'): void =>
    ctx.sink.add({ dropped: 'field', pointer: at, en, ko, ...(severity ? { severity } : {}) });
  items.forEach((item, i) => {
    const at = joinPointer(pointer, i);
    const entry = record(item) ?? {};
    const license = record(entry.license);
    const expression = text(entry.expression);
    if (license && expression !== undefined) {
      issue(
        at,
        'A licence entry holds both a licence and an expression',
        '라이선스 항목에 license와 expression이 함께 있습니다',
      );
    }
    // An expression stands alone: JSON 1.5–1.6 (a tuple of one), XML up to 1.6 (an XSD choice); JSON 1.4 and 1.7 mix
    const alone = ctx.specVersion < '1.7' && (ctx.xml || ctx.specVersion >= '1.5');
    if (expression !== undefined && items.length > 1 && alone) {
      issue(
        at,
        'A licence expression must be the only entry of `licenses`',
        '라이선스 expression은 licenses의 유일한 항목이어야 합니다',
      );
    }
    if (expression !== undefined) {
      const r = normalizeLicenseExpression(expression);
      if ('expression' in r) {
        expressions.push(r.expression);
      } else {
        issue(
          joinPointer(at, 'expression'),
          `'${expression}' is no valid SPDX licence expression (${r.error}); kept as a licence name`,
          `'${expression}'은(는) 올바른 SPDX 라이선스 표현식이 아닙니다 (${r.error}); 라이선스 이름으로 유지`,
          'warning',
        );
        names.push(expression);
      }
      return;
    }
    if (!license) {
      issue(at, 'A licence entry holds neither a licence nor an expression', '라이선스 항목이 비어 있습니다');
      return;
    }
    const encoding = text(record(license.text)?.encoding);
    if (encoding !== undefined && encoding !== 'base64') {
      issue(
        joinPointer(at, 'license', 'text', 'encoding'),
        `Licence text encoding '${encoding}' is not base64`,
        `라이선스 텍스트 인코딩 '${encoding}'은(는) base64가 아닙니다`,
      );
    }
    const id = text(license.id);
    const name = text(license.name);
    if (id !== undefined) {
      const r = normalizeLicenseExpression(id);
      if ('expression' in r && !/\s/.test(r.expression)) {
        expressions.push(r.expression);
      } else {
        issue(
          joinPointer(at, 'license', 'id'),
          `'${id}' is no SPDX licence id; kept as a licence name`,
          `'${id}'은(는) SPDX 라이선스 ID가 아닙니다; 라이선스 이름으로 유지`,
        );
        names.push(id);
      }
    } else if (name !== undefined) {
      const r = normalizeLicenseExpression(name);
      if ('expression' in r) {
        expressions.push(r.expression);
      } else {
        names.push(name);
      }
    } else {
      issue(
        joinPointer(at, 'license'),
        'A licence has neither id nor name',
        '라이선스에 id도 name도 없습니다',
      );
    }
  });
  const licenses = joinLicenses(expressions);
  return { ...(licenses ? { licenses } : {}), licenseNames: [...new Set(names)] };
};

/** Name/value properties; a property without a name is an issue. */
export const readCdxProperties = (raw: unknown, pointer: string, sink: IssueSink): Property[] => {
  const out: Property[] = [];
  list(raw).forEach((item, i) => {
    const p = record(item);
    const name = text(p?.name);
    if (!p || name === undefined) {
      sink.add({
        dropped: 'field',
        pointer: joinPointer(pointer, i),
        en: 'A property has no name',
        ko: '속성에 이름(name)이 없습니다',
      });
      return;
    }
    out.push({ name, value: typeof p.value === 'string' ? p.value : (text(p.value) ?? '') });
  });
  return out;
};

/** Hashes with a known algorithm and a well-formed value. */
export const readCdxHashes = (raw: unknown, pointer: string, sink: IssueSink): Hash[] => {
  const out: Hash[] = [];
  list(raw).forEach((item, i) => {
    const h = record(item) ?? {};
    const r = normalizeHash(text(h.alg) ?? '', text(h.content) ?? '');
    if ('error' in r) {
      sink.add({
        dropped: 'field',
        pointer: joinPointer(pointer, i),
        en: `Hash dropped: ${r.error.en}`,
        ko: `해시 제외: ${r.error.ko}`,
      });
    } else if (!out.some((x) => x.alg === r.alg && x.value === r.value)) {
      out.push(r);
    }
  });
  return out;
};

/** A CycloneDX organisational entity or contact (or a plain string) as a party. */
export const readParty = (raw: unknown, kind?: Party['kind']): Party | undefined => {
  const r = record(raw);
  const name = r ? text(r.name) : text(raw);
  if (!name) {
    return undefined;
  }
  const email = r ? text(r.email ?? record(list(r.contact)[0])?.email) : undefined;
  return { name, ...(email ? { email } : {}), ...(kind ? { kind } : {}) };
};

import type { IssueSink, Locate } from './issues.ts';
import { joinPointer } from './issues.ts';

type Obj = Record<string, unknown>;
type Kind = 'document' | 'package' | 'file' | 'snippet' | 'license';

/** Single-valued tags of each element kind → the SPDX JSON field they fill. */
const FIELDS: Record<Exclude<Kind, 'document'>, Record<string, string>> = {
  package: {
    PackageVersion: 'versionInfo',
    PackageFileName: 'packageFileName',
    PackageSupplier: 'supplier',
    PackageOriginator: 'originator',
    PackageDownloadLocation: 'downloadLocation',
    PackageHomePage: 'homepage',
    PackageSourceInfo: 'sourceInfo',
    PackageLicenseConcluded: 'licenseConcluded',
    PackageLicenseDeclared: 'licenseDeclared',
    PackageLicenseComments: 'licenseComments',
    PackageCopyrightText: 'copyrightText',
    PackageSummary: 'summary',
    PackageDescription: 'description',
    PackageComment: 'comment',
    PrimaryPackagePurpose: 'primaryPackagePurpose',
    ReleaseDate: 'releaseDate',
    BuiltDate: 'builtDate',
    ValidUntilDate: 'validUntilDate',
  },
  file: {
    LicenseConcluded: 'licenseConcluded',
    FileCopyrightText: 'copyrightText',
    FileComment: 'comment',
    FileNotice: 'noticeText',
    LicenseComments: 'licenseComments',
  },
  snippet: {
    SnippetFromFileSPDXID: 'snippetFromFile',
    SnippetLicenseConcluded: 'licenseConcluded',
    SnippetName: 'name',
    SnippetCopyrightText: 'copyrightText',
  },
  license: { ExtractedText: 'extractedText', LicenseName: 'name', LicenseComment: 'comment' },
};

/** Tags that repeat → the array field they fill, per element kind. */
const LISTS: Record<Exclude<Kind, 'document'>, Record<string, string>> = {
  package: {
    PackageLicenseInfoFromFiles: 'licenseInfoFromFiles',
    PackageAttributionText: 'attributionTexts',
  },
  file: {
    LicenseInfoInFile: 'licenseInfoInFiles',
    FileContributor: 'fileContributors',
    FileType: 'fileTypes',
  },
  snippet: { LicenseInfoInSnippet: 'licenseInfoInSnippets' },
  license: { LicenseCrossReference: 'seeAlsos' },
};

const DOCUMENT: Record<string, string> = {
  SPDXVersion: 'spdxVersion',
  DataLicense: 'dataLicense',
  DocumentNamespace: 'documentNamespace',
  DocumentName: 'name',
  DocumentComment: 'comment',
};

const STARTS: Record<string, { kind: Exclude<Kind, 'document'>; array: string; field: string }> = {
  PackageName: { kind: 'package', array: 'packages', field: 'name' },
  FileName: { kind: 'file', array: 'files', field: 'fileName' },
  SnippetSPDXID: { kind: 'snippet', array: 'snippets', field: 'SPDXID' },
  LicenseID: { kind: 'license', array: 'hasExtractedLicensingInfos', field: 'licenseId' },
};

const push = (obj: Obj, field: string, value: unknown): number => {
  const arr = (obj[field] as unknown[] | undefined) ?? [];
  obj[field] = arr;
  return arr.push(value) - 1;
};

/**
 * Reads SPDX 2.x tag-value text (multi-line `<text>…</text>` values, packages, files, snippets, extracted
 * licences, annotations, relationships) into the SPDX JSON shape, with the line of every element and field so
 * issues can name the line.
 */
export const spdxTagValueToJson = (source: string, sink: IssueSink): { doc: Obj; locate: Locate } => {
  const lines = source.split(/\r\n|\r|\n/);
  const where = new Map<string, number>();
  const doc: Obj = { creationInfo: {} };
  const creation = doc.creationInfo as Obj;
  const annotations: { annotation: Obj; line: number }[] = [];
  let current: { kind: Kind; obj: Obj; pointer: string } = { kind: 'document', obj: doc, pointer: '' };
  let annotation: Obj | undefined;
  let lastRef: Obj | undefined;
  let lastRelationship: Obj | undefined;
  const issue = (line: number, en: string, ko: string): void =>
    sink.add({ dropped: 'document', line, en, ko });

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i] ?? '';
    if (!raw.trim() || raw.trimStart().startsWith('#')) {
      continue;
    }
    const m = /^\s*([A-Za-z][\w-]*)\s*:\s?(.*)$/.exec(raw);
    if (!m?.[1]) {
      issue(lineNo, 'Line ignored: not "Tag: value"', '"태그: 값" 형식이 아닌 줄을 무시');
      continue;
    }
    const tag = m[1];
    let value = (m[2] ?? '').trim();
    if (value.startsWith('<text>')) {
      let body = value.slice(6);
      while (!body.includes('</text>') && i + 1 < lines.length) {
        i++;
        body += `\n${lines[i] ?? ''}`;
      }
      if (!body.includes('</text>')) {
        issue(
          lineNo,
          `<text> of ${tag} is never closed; read to the end of the file`,
          `${tag}의 <text>가 닫히지 않아 파일 끝까지 읽음`,
        );
      }
      value = body.replace(/<\/text>[\s\S]*$/, '');
    }
    const start = STARTS[tag];
    if (start) {
      const index = push(doc, start.array, { [start.field]: value });
      const obj = (doc[start.array] as Obj[])[index] as Obj;
      current = { kind: start.kind, obj, pointer: joinPointer('', start.array, index) };
      where.set(current.pointer, lineNo);
      continue;
    }
    if (current.kind !== 'document' && tag === 'SPDXID') {
      current.obj.SPDXID = value;
      continue;
    }
    const field =
      current.kind === 'document' ? undefined : (FIELDS[current.kind][tag] ?? LISTS[current.kind][tag]);
    if (current.kind !== 'document' && field) {
      if (LISTS[current.kind][tag]) {
        push(current.obj, field, value);
      } else {
        current.obj[field] = value;
      }
      where.set(joinPointer(current.pointer, field), lineNo);
      continue;
    }
    switch (tag) {
      case 'SPDXID':
        doc.SPDXID = value;
        break;
      case 'Creator':
        push(creation, 'creators', value);
        break;
      case 'Created':
        creation.created = value;
        where.set('/creationInfo/created', lineNo);
        break;
      case 'LicenseListVersion':
        creation.licenseListVersion = value;
        break;
      case 'PackageChecksum':
      case 'FileChecksum': {
        const kind = tag === 'PackageChecksum' ? 'package' : 'file';
        if (current.kind !== kind) {
          issue(lineNo, `${tag} outside a ${kind} ignored`, `${kind} 밖의 ${tag} 무시`);
          break;
        }
        const c = /^([\w-]+)\s*:\s*(\S+)/.exec(value);
        const index = push(current.obj, 'checksums', {
          algorithm: c?.[1] ?? value,
          checksumValue: c?.[2] ?? '',
        });
        where.set(joinPointer(current.pointer, 'checksums', index), lineNo);
        break;
      }
      case 'FilesAnalyzed':
        current.obj.filesAnalyzed = value.toLowerCase() === 'true';
        break;
      case 'ExternalRef': {
        if (current.kind !== 'package') {
          issue(lineNo, 'ExternalRef outside a package ignored', '패키지 밖의 ExternalRef 무시');
          break;
        }
        const [category = '', type = '', ...rest] = value.split(/\s+/);
        lastRef = { referenceCategory: category, referenceType: type, referenceLocator: rest.join(' ') };
        where.set(
          joinPointer(current.pointer, 'externalRefs', push(current.obj, 'externalRefs', lastRef)),
          lineNo,
        );
        break;
      }
      case 'ExternalRefComment':
        if (lastRef) {
          lastRef.comment = value;
        }
        break;
      case 'Relationship': {
        const [from = '', type = '', ...to] = value.split(/\s+/);
        lastRelationship = { spdxElementId: from, relationshipType: type, relatedSpdxElement: to.join(' ') };
        where.set(joinPointer('/relationships', push(doc, 'relationships', lastRelationship)), lineNo);
        break;
      }
      case 'RelationshipComment':
        if (lastRelationship) {
          lastRelationship.comment = value;
        }
        break;
      case 'Annotator':
        annotation = { annotator: value };
        annotations.push({ annotation, line: lineNo });
        break;
      case 'AnnotationDate':
      case 'AnnotationType':
      case 'AnnotationComment':
      case 'SPDXREF':
        if (annotation) {
          const key = {
            AnnotationDate: 'annotationDate',
            AnnotationType: 'annotationType',
            AnnotationComment: 'comment',
            SPDXREF: 'spdxElementId',
          }[tag];
          annotation[key] = value;
        }
        break;
      default:
        if (DOCUMENT[tag]) {
          doc[DOCUMENT[tag]] = value;
        } else if (
          Object.values(FIELDS).some((f) => tag in f) ||
          Object.values(LISTS).some((f) => tag in f)
        ) {
          issue(lineNo, `${tag} outside its element ignored`, `요소 밖의 ${tag} 무시`);
        }
      // other tags (creator comments, external document refs, review fields …) are not needed
    }
  }
  const byId = new Map<string, Obj>();
  for (const list of [doc.packages, doc.files]) {
    for (const el of (list as Obj[] | undefined) ?? []) {
      byId.set(String(el.SPDXID), el);
    }
  }
  for (const { annotation: a } of annotations) {
    push(byId.get(String(a.spdxElementId)) ?? doc, 'annotations', a);
  }
  const locate: Locate = (pointer) => {
    for (let p = pointer; p; p = p.slice(0, p.lastIndexOf('/'))) {
      const line = where.get(p);
      if (line !== undefined) {
        return { pointer, line };
      }
    }
    return { pointer };
  };
  return { doc, locate };
};

import { AppError } from '../errors.ts';
import type { SbomIssue } from './sboms.schemas.ts';

/** Where an issue is, before the format-specific translation (tag-value pointers become lines, XML ones paths). */
export interface IssueAt {
  dropped: SbomIssue['dropped'];
  /** A warning keeps the data in another form (a bad licence expression kept as a name); strict mode lets it pass. */
  severity?: SbomIssue['severity'];
  pointer?: string;
  line?: number;
  en: string;
  ko: string;
}

/**
 * Collects parse issues. Strict mode throws on the first error (`VALIDATION_FAILED`, naming the JSON pointer or the
 * line); lenient mode records it and lets the parser carry on with what is sound. Warnings are recorded in both.
 */
export interface IssueSink {
  readonly lenient: boolean;
  readonly issues: SbomIssue[];
  add(issue: IssueAt): void;
}

/** Translates a JSON pointer of the normalised input shape to the source's own location (line, XML path). */
export type Locate = (pointer: string) => { pointer?: string; line?: number };

/** The location of an issue as text, for messages: `line 12` or `/components/3/purl`. */
export const describeLocation = (issue: { pointer?: string; line?: number }): string =>
  issue.line !== undefined ? `line ${issue.line}` : issue.pointer || '/';

/**
 * The error every strict-mode refusal throws: `VALIDATION_FAILED`, its `errors[0].path` the JSON pointer (or
 * `line N`), the detail in English and Korean.
 * @throws AppError VALIDATION_FAILED
 */
export const refuse = (issue: { pointer?: string; line?: number; en: string; ko: string }): never => {
  const where = describeLocation(issue);
  throw new AppError('VALIDATION_FAILED', {
    detail: `${issue.en} (at ${where}) / ${issue.ko} (위치: ${where})`,
    errors: [{ path: where, message: `${issue.en} / ${issue.ko}` }],
  });
};

/** A sink; `locate` maps pointers to lines or element paths. */
export const createIssueSink = (lenient: boolean, locate?: Locate): IssueSink => {
  const issues: SbomIssue[] = [];
  return {
    lenient,
    issues,
    add(issue) {
      const at =
        issue.line === undefined && issue.pointer !== undefined && locate
          ? locate(issue.pointer)
          : { pointer: issue.pointer, line: issue.line };
      const located = { ...issue, ...at };
      const severity = issue.severity ?? 'error';
      if (!lenient && severity === 'error') {
        refuse(located);
      }
      issues.push({
        severity,
        dropped: issue.dropped,
        ...(located.pointer !== undefined ? { pointer: located.pointer } : {}),
        ...(located.line !== undefined ? { line: located.line } : {}),
        message: `${issue.en} / ${issue.ko}`,
      });
    },
  };
};

/** JSON pointer escaping (RFC 6901). */
export const joinPointer = (base: string, ...parts: (string | number)[]): string =>
  base + parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

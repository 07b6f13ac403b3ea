/**
 * The body of `COPY … FROM STDIN` in PostgreSQL's text format, for bulk writes (advisory import, findings): one line
 * per row, columns separated by a tab, `\N` for NULL, and a backslash before each backslash, tab, newline and
 * carriage return inside a value. Arrays are written as array literals (`{"a","b"}`) and then escaped like any text.
 *
 * COPY skips the per-statement planning and the JSON parsing that `INSERT … SELECT FROM jsonb_to_recordset($1)` pays
 * for every row (ADR 0016). PostgreSQL's documentation, "COPY — File Formats — Text Format", is the specification.
 */
export type CopyValue = string | number | boolean | Date | readonly string[] | CopyEscaped | null | undefined;

/** A text value already escaped for COPY (by `copyEscaped`, e.g. on a worker thread), written as it is. */
export interface CopyEscaped {
  readonly copyEscaped: string;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Escapes one text value for the COPY text format. */
export const copyEscape = (text: string): string =>
  SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c] as string) : text;

/** A PostgreSQL array literal of text elements (each quoted, so empty strings, commas and braces are kept). */
export const arrayLiteral = (items: readonly string[]): string =>
  `{${items.map((s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;

/** Escapes a text value now, for a COPY line written later (the value is checked as `copyValue` checks it). */
export const copyEscaped = (text: string): CopyEscaped => ({ copyEscaped: copyValue(text) });

/** One value as it appears in a COPY text line. */
export const copyValue = (value: CopyValue): string => {
  if (value === null || value === undefined) {
    return '\\N';
  }
  if (typeof value === 'string') {
    if (value.includes('\u0000')) {
      // PostgreSQL text cannot hold NUL; refusing here names the problem instead of a protocol error later
      throw new Error('a text value for COPY contains a NUL character');
    }
    return copyEscape(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new Error(`a number for COPY is not finite: ${value}`);
    }
    return String(value);
  }
  if (typeof value === 'boolean') {
    return value ? 't' : 'f';
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if ('copyEscaped' in value) {
    return value.copyEscaped;
  }
  return copyEscape(arrayLiteral(value));
};

/** One COPY text line (with its newline) from the values of one row, in column order. */
export const copyLine = (values: readonly CopyValue[]): string => `${values.map(copyValue).join('\t')}\n`;

import { z } from 'zod';
import { ErrorCode, ErrorReason } from '../errors.ts';

/** RFC 9457 problem document, as every error response carries it. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  reason: z.enum(Object.values(ErrorReason) as [ErrorReason, ...ErrorReason[]]).optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requestId: z.string(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const MAX_PAGE_SIZE = 100;

/**
 * The list convention (docs/api-conventions.md): `page` (1-based), `pageSize` (≤ 100),
 * `sort` = a field name, prefixed with `-` for descending. Filters are plain query fields per route.
 */
export const pageQuery = <const S extends readonly [string, ...string[]]>(sortFields: S) =>
  z.object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
    sort: z.enum([...sortFields, ...sortFields.map((f) => `-${f}`)] as [string, ...string[]]).optional(),
  });

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  });

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** Parse `sort` into a field and a direction. */
export const parseSort = (
  sort: string | undefined,
  fallback: { field: string; desc: boolean },
): { field: string; desc: boolean } => {
  if (!sort) {
    return fallback;
  }
  return sort.startsWith('-') ? { field: sort.slice(1), desc: true } : { field: sort, desc: false };
};

export const IdParamsSchema = z.strictObject({ id: z.uuid() });

/** True when the text holds a control character other than tab, line feed or carriage return. */
export const hasControlCharacters = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) {
      return true;
    }
  }
  return false;
};

/** Free text fields: trimmed, bounded, no control characters other than tab and newlines. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !hasControlCharacters(s), 'control characters are not allowed');

export const EmailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());

export const OkSchema = z.object({ ok: z.literal(true) });

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

/** Free text fields: trimmed, bounded, no control characters other than tab and newline. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'control characters are not allowed');

export const EmailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());

export const OkSchema = z.object({ ok: z.literal(true) });

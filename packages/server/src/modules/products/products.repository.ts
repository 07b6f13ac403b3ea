import type { Product, ProductProfile, Release } from '@medsec/core';
import type { Queryable } from '../../db/client.ts';
import { escapeLike } from '../../db/sql.ts';

/** SQL of products and releases; every statement is scoped by organization. */
export interface ProductRow {
  id: string;
  organization_id: string;
  name: string;
  model: string;
  manufacturer: string;
  importer: string | null;
  grade: number | null;
  intended_use: string;
  profile: ProductProfile;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const toProduct = (r: ProductRow): Product => ({
  id: r.id,
  name: r.name,
  model: r.model,
  manufacturer: r.manufacturer,
  importer: r.importer,
  grade: r.grade,
  intendedUse: r.intended_use,
  profile: r.profile,
  archived: r.archived_at !== null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export interface ReleaseRow {
  id: string;
  organization_id: string;
  product_id: string;
  version: string;
  release_date: string | Date | null;
  status: Release['status'];
  based_on: string | null;
  notes: string;
  created_at: Date;
}

const dateOnly = (d: string | Date | null): string | null =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

export const toRelease = (r: ReleaseRow): Release => ({
  id: r.id,
  productId: r.product_id,
  version: r.version,
  releaseDate: dateOnly(r.release_date),
  status: r.status,
  basedOn: r.based_on,
  notes: r.notes,
  createdAt: r.created_at.toISOString(),
});

export const findProductRow = async (
  q: Queryable,
  orgId: string,
  id: string,
  forUpdate = false,
): Promise<ProductRow | undefined> =>
  (
    await q.query<ProductRow>(
      `SELECT * FROM products WHERE organization_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [orgId, id],
    )
  )[0];

export const listProductRows = async (
  q: Queryable,
  orgId: string,
  opts: { q?: string; includeArchived: boolean; sort?: string; limit: number; offset: number },
): Promise<{ rows: ProductRow[]; total: number }> => {
  const params: unknown[] = [orgId];
  const where = ['organization_id = $1'];
  if (!opts.includeArchived) {
    where.push('archived_at IS NULL');
  }
  if (opts.q) {
    params.push(`%${escapeLike(opts.q.toLowerCase())}%`);
    where.push(`(lower(name) LIKE $${params.length} OR lower(model) LIKE $${params.length})`);
  }
  const order =
    opts.sort === '-name'
      ? 'lower(name) DESC'
      : opts.sort === 'createdAt'
        ? 'created_at'
        : opts.sort === '-createdAt'
          ? 'created_at DESC'
          : 'lower(name), lower(model)';
  const [count] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM products WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows = await q.query<ProductRow>(
    `SELECT * FROM products WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, opts.limit, opts.offset],
  );
  return { rows, total: count?.n ?? 0 };
};

export const findReleaseRow = async (
  q: Queryable,
  orgId: string,
  id: string,
): Promise<ReleaseRow | undefined> =>
  (
    await q.query<ReleaseRow>('SELECT * FROM product_releases WHERE organization_id = $1 AND id = $2', [
      orgId,
      id,
    ])
  )[0];

export const listReleaseRows = (q: Queryable, orgId: string, productId: string): Promise<ReleaseRow[]> =>
  q.query<ReleaseRow>(
    'SELECT * FROM product_releases WHERE organization_id = $1 AND product_id = $2 ORDER BY created_at DESC',
    [orgId, productId],
  );

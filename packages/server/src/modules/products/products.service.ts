import type { CreateReleaseSchema, ListProductsQuerySchema, UpdateProductSchema } from '@medsec/core';
import {
  AppError,
  type CreateProduct,
  ErrorCode,
  type Page,
  type Product,
  type ProductProfile,
  type Release,
  uuidv7,
} from '@medsec/core';
import type { z } from 'zod';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { type ApplicabilityChange, applyApplicability } from '../applicability/applicability.service.ts';
import { seedReleaseItems } from '../compliance/compliance.service.ts';
import {
  findProductRow,
  findReleaseRow,
  listProductRows,
  listReleaseRows,
  type ProductRow,
  toProduct,
  toRelease,
} from './products.repository.ts';

/** The product registry: products with their profile, releases, and what a profile change does to applicability. */

const notFound = (what: string) =>
  new AppError(ErrorCode.NOT_FOUND, { detail: `No such ${what} / 없는 항목입니다` });

export const requireProduct = async (ctx: Ctx, tx: Queryable, id: string, forUpdate = false) => {
  const row = await findProductRow(tx, orgOf(ctx), id, forUpdate);
  if (!row) {
    throw notFound('product');
  }
  return row;
};

export const requireRelease = async (ctx: Ctx, tx: Queryable, id: string) => {
  const row = await findReleaseRow(tx, orgOf(ctx), id);
  if (!row) {
    throw notFound('release');
  }
  return row;
};

export const listProducts = async (
  ctx: Ctx,
  query: z.infer<typeof ListProductsQuerySchema>,
): Promise<Page<Product>> => {
  const { rows, total } = await listProductRows(ctx.db, orgOf(ctx), {
    ...(query.q ? { q: query.q } : {}),
    includeArchived: query.includeArchived === 'true',
    ...(query.sort ? { sort: query.sort } : {}),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: rows.map(toProduct), page: query.page, pageSize: query.pageSize, total };
};

export const getProduct = async (ctx: Ctx, id: string): Promise<Product> =>
  toProduct(await requireProduct(ctx, ctx.db, id));

/** Registers a product and decides, by rule, which catalog requirements apply to it (in one transaction). */
export const createProduct = (ctx: Ctx, input: CreateProduct): Promise<Product> =>
  withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const id = uuidv7(now.getTime());
    const [row] = await tx.query<ProductRow>(
      `INSERT INTO products (id, organization_id, name, model, manufacturer, importer, grade, intended_use, profile,
         created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING *`,
      [
        id,
        orgOf(ctx),
        input.name,
        input.model,
        input.manufacturer,
        input.importer,
        input.grade,
        input.intendedUse,
        JSON.stringify(input.profile),
        ctx.actor.userId,
        now,
      ],
    );
    const changes = await applyApplicability(ctx, tx, id, input.profile);
    await recordAudit(ctx, tx, {
      action: 'product.created',
      targetType: 'product',
      targetId: id,
      details: { name: input.name, model: input.model, applicable: changes.filter((c) => c.to).length },
    });
    return toProduct(row!);
  });

/**
 * Updates a product. A changed profile re-evaluates applicability in the same transaction; the changes are returned
 * (the UI shows them first with the preview endpoint).
 */
export const updateProduct = (
  ctx: Ctx,
  id: string,
  input: z.infer<typeof UpdateProductSchema>,
): Promise<{ product: Product; applicabilityChanges: ApplicabilityChange[] }> =>
  withTx(ctx, async (tx) => {
    const current = await requireProduct(ctx, tx, id, true);
    const next = {
      name: input.name ?? current.name,
      model: input.model ?? current.model,
      manufacturer: input.manufacturer ?? current.manufacturer,
      importer: input.importer !== undefined ? input.importer : current.importer,
      grade: input.grade !== undefined ? input.grade : current.grade,
      intendedUse: input.intendedUse ?? current.intended_use,
      profile: (input.profile ?? current.profile) as ProductProfile,
    };
    const [row] = await tx.query<ProductRow>(
      `UPDATE products SET name = $3, model = $4, manufacturer = $5, importer = $6, grade = $7, intended_use = $8,
         profile = $9, updated_at = $10 WHERE organization_id = $1 AND id = $2 RETURNING *`,
      [
        orgOf(ctx),
        id,
        next.name,
        next.model,
        next.manufacturer,
        next.importer,
        next.grade,
        next.intendedUse,
        JSON.stringify(next.profile),
        ctx.clock.now(),
      ],
    );
    const applicabilityChanges = input.profile ? await applyApplicability(ctx, tx, id, next.profile) : [];
    const changedFields = Object.keys(input).filter(
      (k) => JSON.stringify((input as Record<string, unknown>)[k]) !== JSON.stringify(fieldOf(current, k)),
    );
    await recordAudit(ctx, tx, {
      action: 'product.updated',
      targetType: 'product',
      targetId: id,
      details: {
        fields: changedFields,
        applicabilityChanges: applicabilityChanges.filter((c) => c.from !== null).length,
      },
    });
    return {
      product: toProduct(row!),
      applicabilityChanges: applicabilityChanges.filter((c) => c.from !== null),
    };
  });

const fieldOf = (r: ProductRow, key: string): unknown =>
  ({
    name: r.name,
    model: r.model,
    manufacturer: r.manufacturer,
    importer: r.importer,
    grade: r.grade,
    intendedUse: r.intended_use,
    profile: r.profile,
  })[key];

export const archiveProduct = (ctx: Ctx, id: string, archived: boolean): Promise<Product> =>
  withTx(ctx, async (tx) => {
    await requireProduct(ctx, tx, id, true);
    const [row] = await tx.query<ProductRow>(
      'UPDATE products SET archived_at = $3, updated_at = $4 WHERE organization_id = $1 AND id = $2 RETURNING *',
      [orgOf(ctx), id, archived ? ctx.clock.now() : null, ctx.clock.now()],
    );
    await recordAudit(ctx, tx, {
      action: archived ? 'product.archived' : 'product.restored',
      targetType: 'product',
      targetId: id,
    });
    return toProduct(row!);
  });

export const listReleases = async (ctx: Ctx, productId: string): Promise<Release[]> => {
  await requireProduct(ctx, ctx.db, productId);
  return (await listReleaseRows(ctx.db, orgOf(ctx), productId)).map(toRelease);
};

/**
 * Adds a release. One based on a predecessor starts from the predecessor's assessment items (status, method,
 * owner, notes; each remembers where it came from) and architecture; otherwise every applicable requirement
 * starts as not started.
 */
export const createRelease = (
  ctx: Ctx,
  productId: string,
  input: z.infer<typeof CreateReleaseSchema>,
): Promise<Release> =>
  withTx(ctx, async (tx) => {
    await requireProduct(ctx, tx, productId, true);
    if (input.basedOn) {
      const base = await requireRelease(ctx, tx, input.basedOn);
      if (base.product_id !== productId) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, {
          detail: 'basedOn must be a release of the same product / 같은 제품의 릴리스여야 합니다',
        });
      }
    }
    const [dup] = await tx.query('SELECT 1 FROM product_releases WHERE product_id = $1 AND version = $2', [
      productId,
      input.version,
    ]);
    if (dup) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: `Version ${input.version} already exists / 이미 있는 버전입니다`,
      });
    }
    const now = ctx.clock.now();
    const id = uuidv7(now.getTime());
    await tx.query(
      `INSERT INTO product_releases (id, organization_id, product_id, version, release_date, status, based_on, notes,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
      [
        id,
        orgOf(ctx),
        productId,
        input.version,
        input.releaseDate,
        input.status,
        input.basedOn,
        input.notes,
        now,
      ],
    );
    const seeded = await seedReleaseItems(ctx, tx, productId, id, input.basedOn);
    if (input.basedOn) {
      await copyArchitecture(ctx, tx, input.basedOn, id);
    }
    await recordAudit(ctx, tx, {
      action: 'release.created',
      targetType: 'release',
      targetId: id,
      details: { productId, version: input.version, basedOn: input.basedOn, items: seeded },
    });
    const row = await findReleaseRow(tx, orgOf(ctx), id);
    return toRelease(row!);
  });

export const updateRelease = (
  ctx: Ctx,
  id: string,
  input: { status?: Release['status']; releaseDate?: string | null; notes?: string },
): Promise<Release> =>
  withTx(ctx, async (tx) => {
    const row = await requireRelease(ctx, tx, id);
    await tx.query(
      `UPDATE product_releases SET status = $3, release_date = $4, notes = $5, updated_at = $6
        WHERE organization_id = $1 AND id = $2`,
      [
        orgOf(ctx),
        id,
        input.status ?? row.status,
        input.releaseDate !== undefined ? input.releaseDate : row.release_date,
        input.notes ?? row.notes,
        ctx.clock.now(),
      ],
    );
    await recordAudit(ctx, tx, {
      action: 'release.updated',
      targetType: 'release',
      targetId: id,
      details: input,
    });
    return toRelease((await findReleaseRow(tx, orgOf(ctx), id))!);
  });

/** Copies elements (keeping the parent tree) and flows from one release to another. */
const copyArchitecture = async (ctx: Ctx, tx: Queryable, from: string, to: string) => {
  const now = ctx.clock.now();
  const elements = await tx.query<{ id: string; parent_id: string | null }>(
    'SELECT id, parent_id FROM architecture_elements WHERE organization_id = $1 AND release_id = $2 ORDER BY created_at, id',
    [orgOf(ctx), from],
  );
  const idMap = new Map(elements.map((e) => [e.id, uuidv7(now.getTime())]));
  for (const e of elements) {
    await tx.query(
      `INSERT INTO architecture_elements (id, organization_id, release_id, kind, name, description, interface, port_protocol,
         purpose, personal_data, parent_id, created_at, updated_at)
       SELECT $1, organization_id, $2, kind, name, description, interface, port_protocol, purpose, personal_data, NULL, $3, $3
         FROM architecture_elements WHERE id = $4`,
      [idMap.get(e.id), to, now, e.id],
    );
  }
  for (const e of elements) {
    if (e.parent_id) {
      await tx.query('UPDATE architecture_elements SET parent_id = $2 WHERE id = $1', [
        idMap.get(e.id),
        idMap.get(e.parent_id),
      ]);
    }
  }
  const flows = await tx.query<{ id: string; from_id: string; to_id: string }>(
    'SELECT id, from_id, to_id FROM data_flows WHERE organization_id = $1 AND release_id = $2',
    [orgOf(ctx), from],
  );
  for (const f of flows) {
    await tx.query(
      `INSERT INTO data_flows (id, organization_id, release_id, from_id, to_id, name, protocol, personal_data, encrypted,
         crosses_trust_boundary, created_at)
       SELECT $1, organization_id, $2, $3, $4, name, protocol, personal_data, encrypted, crosses_trust_boundary, $5
         FROM data_flows WHERE id = $6`,
      [uuidv7(now.getTime()), to, idMap.get(f.from_id), idMap.get(f.to_id), now, f.id],
    );
  }
};

import { createHash } from 'node:crypto';
import { AppError, ErrorCode, uuidv7 } from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import type { Upload } from '../../http/upload.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { setItemLinks } from '../compliance/compliance.service.ts';
import { inspectFile } from './evidence.content.ts';

/**
 * The evidence vault: files (checked by content, stored once by SHA-256, versioned) and links (a URL with an
 * optional captured hash), each reusable across many assessment items, releases and products. Downloads are
 * audited and always served as attachments.
 */
export interface EvidenceView {
  id: string;
  title: string;
  description: string;
  kind: 'file' | 'link';
  reviewDate: string | null;
  expiresAt: string | null;
  currentVersion: number;
  createdAt: string;
  current: {
    version: number;
    fileName: string | null;
    mediaType: string | null;
    size: number | null;
    sha256: string | null;
    url: string | null;
    capturedSha256: string | null;
    createdAt: string;
  } | null;
  linkedItems: number;
}

interface EvidenceRow {
  id: string;
  title: string;
  description: string;
  kind: 'file' | 'link';
  review_date: string | Date | null;
  expires_at: string | Date | null;
  current_version: number;
  created_at: Date;
  v_version: number | null;
  file_name: string | null;
  media_type: string | null;
  size: string | number | null;
  sha256: string | null;
  url: string | null;
  captured_sha256: string | null;
  v_created_at: Date | null;
  linked_items: number;
}

const dateOnly = (d: string | Date | null): string | null =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

const SELECT = `
  SELECT e.*, v.version AS v_version, v.file_name, v.media_type, v.size, v.sha256, v.url, v.captured_sha256,
         v.created_at AS v_created_at,
         (SELECT count(*)::int FROM evidence_links l WHERE l.evidence_id = e.id) AS linked_items
    FROM evidence e LEFT JOIN evidence_versions v ON v.evidence_id = e.id AND v.version = e.current_version`;

const toView = (r: EvidenceRow): EvidenceView => ({
  id: r.id,
  title: r.title,
  description: r.description,
  kind: r.kind,
  reviewDate: dateOnly(r.review_date),
  expiresAt: dateOnly(r.expires_at),
  currentVersion: r.current_version,
  createdAt: r.created_at.toISOString(),
  current:
    r.v_version === null
      ? null
      : {
          version: r.v_version,
          fileName: r.file_name,
          mediaType: r.media_type,
          size: r.size === null ? null : Number(r.size),
          sha256: r.sha256,
          url: r.url,
          capturedSha256: r.captured_sha256,
          createdAt: r.v_created_at!.toISOString(),
        },
  linkedItems: r.linked_items,
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Stores content once per organization; returns its hash. */
export const putBlob = async (ctx: Ctx, tx: Queryable, bytes: Buffer): Promise<string> => {
  const hash = sha256(bytes);
  // sent as base64 text and decoded by the database: PGlite encodes a bytea parameter byte by byte in JavaScript
  // (about 1 s for a 3 MiB SBOM), base64 is native on both sides
  await tx.query(
    `INSERT INTO blobs (organization_id, sha256, size, content, created_at) VALUES ($1, $2, $3, decode($4, 'base64'), $5)
     ON CONFLICT (organization_id, sha256) DO NOTHING`,
    [orgOf(ctx), hash, bytes.length, bytes.toString('base64'), ctx.clock.now()],
  );
  return hash;
};

export const getBlob = async (ctx: Ctx, q: Queryable, hash: string): Promise<Buffer> => {
  const [row] = await q.query<{ content: Uint8Array }>(
    'SELECT content FROM blobs WHERE organization_id = $1 AND sha256 = $2',
    [orgOf(ctx), hash],
  );
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'The file content is missing / 파일 내용이 없습니다' });
  }
  return Buffer.from(row.content);
};

export interface EvidenceMeta {
  title: string;
  description: string;
  reviewDate: string | null;
  expiresAt: string | null;
}

const requireEvidence = async (ctx: Ctx, q: Queryable, id: string, forUpdate = false) => {
  const [row] = await q.query<{ id: string; kind: 'file' | 'link'; current_version: number; title: string }>(
    `SELECT id, kind, current_version, title FROM evidence WHERE organization_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [orgOf(ctx), id],
  );
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such evidence / 없는 증거입니다' });
  }
  return row;
};

const view = async (ctx: Ctx, q: Queryable, id: string) =>
  toView(
    (
      await q.query<EvidenceRow>(`${SELECT} WHERE e.organization_id = $1 AND e.id = $2`, [orgOf(ctx), id])
    )[0]!,
  );

/** Uploads a file as new evidence (version 1), after checking what it really is. */
export const createFileEvidence = async (
  ctx: Ctx,
  upload: Upload,
  meta: EvidenceMeta,
): Promise<EvidenceView> => {
  const inspected = await inspectFile(upload.fileName, upload.bytes);
  return withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const id = uuidv7(now.getTime());
    await tx.query(
      `INSERT INTO evidence (id, organization_id, title, description, kind, review_date, expires_at, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'file', $5, $6, $7, $8, $8)`,
      [id, orgOf(ctx), meta.title, meta.description, meta.reviewDate, meta.expiresAt, ctx.actor.userId, now],
    );
    const hash = await putBlob(ctx, tx, upload.bytes);
    await insertVersion(ctx, tx, id, 1, { ...upload, ...inspected, hash });
    await recordAudit(ctx, tx, {
      action: 'evidence.uploaded',
      targetType: 'evidence',
      targetId: id,
      details: {
        title: meta.title,
        fileName: upload.fileName,
        sha256: hash,
        size: upload.bytes.length,
        version: 1,
      },
    });
    return view(ctx, tx, id);
  });
};

const insertVersion = async (
  ctx: Ctx,
  tx: Queryable,
  evidenceId: string,
  version: number,
  v: { fileName: string; mediaType: string; bytes: Buffer; hash: string },
) => {
  await tx.query(
    `INSERT INTO evidence_versions (id, organization_id, evidence_id, version, file_name, media_type, size, sha256, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      uuidv7(ctx.clock.now().getTime()),
      orgOf(ctx),
      evidenceId,
      version,
      v.fileName,
      v.mediaType,
      v.bytes.length,
      v.hash,
      ctx.actor.userId,
      ctx.clock.now(),
    ],
  );
};

/** A new version of file evidence; earlier versions are kept. */
export const addEvidenceVersion = async (ctx: Ctx, id: string, upload: Upload): Promise<EvidenceView> => {
  const inspected = await inspectFile(upload.fileName, upload.bytes);
  return withTx(ctx, async (tx) => {
    const row = await requireEvidence(ctx, tx, id, true);
    if (row.kind !== 'file') {
      throw new AppError(ErrorCode.VALIDATION_FAILED, { detail: 'Link evidence has no file versions' });
    }
    const version = row.current_version + 1;
    const hash = await putBlob(ctx, tx, upload.bytes);
    await insertVersion(ctx, tx, id, version, { ...upload, ...inspected, hash });
    await tx.query('UPDATE evidence SET current_version = $2, updated_at = $3 WHERE id = $1', [
      id,
      version,
      ctx.clock.now(),
    ]);
    await recordAudit(ctx, tx, {
      action: 'evidence.version_added',
      targetType: 'evidence',
      targetId: id,
      details: { fileName: upload.fileName, sha256: hash, version },
    });
    return view(ctx, tx, id);
  });
};

/** A URL as evidence (e.g. a test report in CI), with the hash of what it pointed to when captured, if known. */
export const createLinkEvidence = (
  ctx: Ctx,
  input: EvidenceMeta & { url: string; capturedSha256: string | null },
): Promise<EvidenceView> =>
  withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const id = uuidv7(now.getTime());
    await tx.query(
      `INSERT INTO evidence (id, organization_id, title, description, kind, review_date, expires_at, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'link', $5, $6, $7, $8, $8)`,
      [
        id,
        orgOf(ctx),
        input.title,
        input.description,
        input.reviewDate,
        input.expiresAt,
        ctx.actor.userId,
        now,
      ],
    );
    await tx.query(
      `INSERT INTO evidence_versions (id, organization_id, evidence_id, version, url, captured_sha256, created_by, created_at)
       VALUES ($1, $2, $3, 1, $4, $5, $6, $7)`,
      [uuidv7(now.getTime()), orgOf(ctx), id, input.url, input.capturedSha256, ctx.actor.userId, now],
    );
    await recordAudit(ctx, tx, {
      action: 'evidence.linked_url',
      targetType: 'evidence',
      targetId: id,
      details: { title: input.title, url: input.url },
    });
    return view(ctx, tx, id);
  });

export const listEvidence = async (
  ctx: Ctx,
  filter: { q?: string | undefined; expiringWithinDays?: number | undefined; itemId?: string | undefined },
): Promise<EvidenceView[]> => {
  const params: unknown[] = [orgOf(ctx)];
  const where = ['e.organization_id = $1'];
  if (filter.q) {
    params.push(`%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(
      `(lower(e.title) LIKE $${params.length} OR lower(coalesce(v.file_name, '')) LIKE $${params.length})`,
    );
  }
  if (filter.expiringWithinDays !== undefined) {
    params.push(
      new Date(ctx.clock.now().getTime() + filter.expiringWithinDays * 86_400_000).toISOString().slice(0, 10),
    );
    where.push(
      `((e.expires_at IS NOT NULL AND e.expires_at <= $${params.length}) OR (e.review_date IS NOT NULL AND e.review_date <= $${params.length}))`,
    );
  }
  if (filter.itemId) {
    params.push(filter.itemId);
    where.push(
      `EXISTS (SELECT 1 FROM evidence_links l WHERE l.evidence_id = e.id AND l.item_id = $${params.length})`,
    );
  }
  const rows = await ctx.db.query<EvidenceRow>(
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY e.created_at DESC LIMIT 500`,
    params,
  );
  return rows.map(toView);
};

export const getEvidence = async (ctx: Ctx, id: string) => {
  await requireEvidence(ctx, ctx.db, id);
  const versions = await ctx.db.query<{
    version: number;
    file_name: string | null;
    media_type: string | null;
    size: string | number | null;
    sha256: string | null;
    url: string | null;
    captured_sha256: string | null;
    created_at: Date;
  }>(
    'SELECT * FROM evidence_versions WHERE organization_id = $1 AND evidence_id = $2 ORDER BY version DESC',
    [orgOf(ctx), id],
  );
  const items = await ctx.db.query<{
    item_id: string;
    requirement_ref: string;
    version: string;
    product: string;
  }>(
    `SELECT l.item_id, i.requirement_ref, r.version, p.name AS product
       FROM evidence_links l JOIN assessment_items i ON i.id = l.item_id
       JOIN product_releases r ON r.id = i.release_id JOIN products p ON p.id = r.product_id
      WHERE l.organization_id = $1 AND l.evidence_id = $2 ORDER BY p.name, r.version, i.requirement_ref`,
    [orgOf(ctx), id],
  );
  return {
    ...(await view(ctx, ctx.db, id)),
    versions: versions.map((v) => ({
      version: v.version,
      fileName: v.file_name,
      mediaType: v.media_type,
      size: v.size === null ? null : Number(v.size),
      sha256: v.sha256,
      url: v.url,
      capturedSha256: v.captured_sha256,
      createdAt: v.created_at.toISOString(),
    })),
    items: items.map((i) => ({
      itemId: i.item_id,
      ref: i.requirement_ref,
      release: i.version,
      product: i.product,
    })),
  };
};

/** The bytes of one version, for download; the download is audited with the hash served. */
export const downloadEvidence = (ctx: Ctx, id: string, version: number) =>
  withTx(ctx, async (tx) => {
    await requireEvidence(ctx, tx, id);
    const [v] = await tx.query<{ file_name: string; media_type: string; sha256: string | null }>(
      'SELECT file_name, media_type, sha256 FROM evidence_versions WHERE organization_id = $1 AND evidence_id = $2 AND version = $3',
      [orgOf(ctx), id, version],
    );
    if (!v?.sha256) {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such file version / 없는 파일 버전입니다' });
    }
    const bytes = await getBlob(ctx, tx, v.sha256);
    if (sha256(bytes) !== v.sha256) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail:
          'Stored content does not match its SHA-256: the file was altered / 저장된 파일이 변조되었습니다',
      });
    }
    await recordAudit(ctx, tx, {
      action: 'evidence.downloaded',
      targetType: 'evidence',
      targetId: id,
      details: { version, sha256: v.sha256 },
    });
    return { fileName: v.file_name, mediaType: v.media_type, sha256: v.sha256, bytes };
  });

/** Links evidence to assessment items (any release, any product of the organization): reuse, not copies. */
export const linkEvidence = (ctx: Ctx, id: string, itemIds: string[], link: boolean) =>
  withTx(ctx, async (tx) => {
    await requireEvidence(ctx, tx, id);
    const items = await setItemLinks(
      ctx,
      tx,
      { table: 'evidence_links', column: 'evidence_id', id },
      itemIds,
      link,
    );
    await recordAudit(ctx, tx, {
      action: link ? 'evidence.attached' : 'evidence.detached',
      targetType: 'evidence',
      targetId: id,
      details: { items },
    });
    return { linked: itemIds.length };
  });

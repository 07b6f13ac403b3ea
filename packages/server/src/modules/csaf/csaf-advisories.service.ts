import { createHash } from 'node:crypto';
import {
  AppError,
  type CreateCsafAdvisory,
  type CsafAdvisory,
  type CsafAdvisoryDetail,
  ErrorCode,
  type IssueCsafAdvisory,
  uuidv7,
} from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import { canonicalJson } from '../../platform/audit/audit.chain.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import {
  advisoryTrackingId,
  type CsafTracking,
  composeCsafAdvisory,
  csafNow,
} from '../findings/csaf.service.ts';
import { type CsafValidation, validateCsaf } from '../findings/csaf.validate.ts';
import { composeCsafVex, vexTrackingId } from '../findings/csaf-vex.service.ts';
import { getProduct, requireRelease } from '../products/products.service.ts';

/**
 * Stored CSAF advisories per organization (MFDS 2025 arts. 20–22: disclose vulnerabilities and publish advisories,
 * and keep what was published). An advisory is created as a draft (a security advisory for one vulnerability of a
 * product, or a VEX document for one release); issuing it builds the document from the findings as they are now,
 * validates it (schema + mandatory tests, incl. the profile's), and stores it as a new revision: CSAF integer
 * versioning, the revision history grows by one entry, the exact bytes served and their SHA-256 are kept, the issuer
 * is audited in the same transaction. Status goes draft → interim → final (a final advisory is re-issued as final).
 * A re-issue with nothing changed (same findings-derived content, same status) is refused.
 */
interface AdvisoryRow {
  id: string;
  profile: 'security_advisory' | 'vex';
  tracking_id: string;
  title: string;
  status: 'draft' | 'interim' | 'final';
  product_id: string;
  product_name: string;
  release_id: string | null;
  release_version: string | null;
  vulnerability_id: string | null;
  current_revision: number;
  created_at: Date;
  updated_at: Date;
  version: number;
}

interface RevisionRow {
  revision: number;
  status: 'interim' | 'final';
  summary: string;
  sha256: string;
  content_hash: string;
  issued_at: Date;
  issued_by_label: string;
}

const SELECT = `
  SELECT a.id, a.profile, a.tracking_id, a.title, a.status, a.product_id, p.name AS product_name, a.release_id,
         r.version AS release_version, a.vulnerability_id, a.current_revision, a.created_at, a.updated_at, a.version
    FROM csaf_advisories a JOIN products p ON p.id = a.product_id LEFT JOIN product_releases r ON r.id = a.release_id`;

const toAdvisory = (r: AdvisoryRow): CsafAdvisory => ({
  id: r.id,
  profile: r.profile,
  trackingId: r.tracking_id,
  title: r.title,
  status: r.status,
  productId: r.product_id,
  productName: r.product_name,
  releaseId: r.release_id,
  releaseVersion: r.release_version,
  vulnerabilityId: r.vulnerability_id,
  currentRevision: r.current_revision,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  version: r.version,
});

const notFound = () => new AppError(ErrorCode.NOT_FOUND, { detail: 'No such advisory / 없는 권고문입니다' });

const findRow = async (ctx: Ctx, id: string): Promise<AdvisoryRow | undefined> => {
  const [row] = await ctx.db.query<AdvisoryRow>(`${SELECT} WHERE a.organization_id = $1 AND a.id = $2`, [
    orgOf(ctx),
    id,
  ]);
  return row;
};

const revisionsOf = (ctx: Ctx, advisoryId: string) =>
  ctx.db.query<RevisionRow>(
    `SELECT revision, status, summary, sha256, content_hash, issued_at, issued_by_label FROM csaf_advisory_revisions
      WHERE organization_id = $1 AND advisory_id = $2 ORDER BY revision`,
    [orgOf(ctx), advisoryId],
  );

/** SHA-256 of the findings-derived content: the document without its tracking (dates, version, history). */
const contentHashOf = (doc: Record<string, unknown>): string => {
  const { tracking: _tracking, ...document } = doc.document as Record<string, unknown>;
  return createHash('sha256')
    .update(canonicalJson({ ...doc, document }))
    .digest('hex');
};

/** Builds the advisory's document from the current findings with the given tracking. */
const compose = async (ctx: Ctx, row: AdvisoryRow, tracking: CsafTracking) =>
  row.profile === 'vex'
    ? (await composeCsafVex(ctx, { releaseId: row.release_id!, tracking })).doc
    : (
        await composeCsafAdvisory(ctx, {
          productId: row.product_id,
          vulnerabilityId: row.vulnerability_id!,
          tracking,
        })
      ).doc;

/** The tracking of the next revision: integer versioning, history extended by one entry. */
const nextTracking = (
  ctx: Ctx,
  row: AdvisoryRow,
  revisions: RevisionRow[],
  status: 'draft' | 'interim' | 'final',
  summary: string,
): CsafTracking => {
  const now = csafNow(ctx);
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const number = String(row.current_revision + 1);
  return {
    trackingId: row.tracking_id,
    status,
    version: number,
    initialReleaseDate: revisions[0] ? iso(revisions[0].issued_at) : now,
    currentReleaseDate: now,
    revisionHistory: [
      ...revisions.map((r) => ({ date: iso(r.issued_at), number: String(r.revision), summary: r.summary })),
      { date: now, number, summary },
    ],
  };
};

/**
 * Creates a draft advisory. A security advisory needs a finding of the vulnerability in the product; a VEX document
 * needs a finding in the release (checked by composing the document once).
 * @throws NOT_FOUND for another organization's product or release, or no such finding
 * @throws CONFLICT when the tracking id is taken in the organization
 */
export const createCsafAdvisory = async (ctx: Ctx, input: CreateCsafAdvisory): Promise<CsafAdvisory> => {
  let values: {
    productId: string;
    releaseId: string | null;
    vulnerabilityId: string | null;
    trackingId: string;
    title: string;
  };
  if (input.profile === 'vex') {
    const release = await requireRelease(ctx, ctx.db, input.releaseId);
    const product = await getProduct(ctx, release.product_id);
    await composeCsafVex(ctx, { releaseId: release.id });
    values = {
      productId: product.id,
      releaseId: release.id,
      vulnerabilityId: null,
      trackingId: input.trackingId ?? vexTrackingId(product.model, release.version),
      title: `VEX for ${product.name} ${product.model} ${release.version}`,
    };
  } else {
    const composed = await composeCsafAdvisory(ctx, {
      productId: input.productId,
      vulnerabilityId: input.vulnerabilityId,
    });
    values = {
      productId: composed.product.id,
      releaseId: null,
      vulnerabilityId: composed.vulnerabilityId,
      trackingId: input.trackingId ?? advisoryTrackingId(composed.product.model, composed.vulnerabilityId),
      title: `${composed.vulnerabilityId} in ${composed.product.name} ${composed.product.model}`,
    };
  }
  const id = await withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const newId = uuidv7(now.getTime());
    await tx.query(
      `INSERT INTO csaf_advisories (id, organization_id, profile, product_id, release_id, vulnerability_id, tracking_id,
         title, status, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $10)`,
      [
        newId,
        orgOf(ctx),
        input.profile,
        values.productId,
        values.releaseId,
        values.vulnerabilityId,
        values.trackingId,
        values.title,
        ctx.actor.userId,
        now,
      ],
    );
    await recordAudit(ctx, tx, {
      action: 'csaf.advisory_created',
      targetType: 'csaf_advisory',
      targetId: newId,
      details: {
        profile: input.profile,
        trackingId: values.trackingId,
        vulnerability: values.vulnerabilityId,
      },
    });
    return newId;
  });
  return toAdvisory((await findRow(ctx, id))!);
};

export const listCsafAdvisories = async (
  ctx: Ctx,
  filter: { productId?: string | undefined; profile?: 'security_advisory' | 'vex' | undefined } = {},
): Promise<CsafAdvisory[]> => {
  const rows = await ctx.db.query<AdvisoryRow>(
    `${SELECT} WHERE a.organization_id = $1 AND ($2::uuid IS NULL OR a.product_id = $2)
       AND ($3::text IS NULL OR a.profile = $3) ORDER BY a.updated_at DESC, a.id LIMIT 500`,
    [orgOf(ctx), filter.productId ?? null, filter.profile ?? null],
  );
  return rows.map(toAdvisory);
};

/** @throws NOT_FOUND */
export const getCsafAdvisory = async (ctx: Ctx, id: string): Promise<CsafAdvisoryDetail> => {
  const row = await findRow(ctx, id);
  if (!row) {
    throw notFound();
  }
  const revisions = await revisionsOf(ctx, id);
  const latest = revisions.at(-1);
  let changedSinceIssue = latest === undefined;
  if (latest) {
    try {
      const doc = await compose(ctx, row, nextTracking(ctx, row, revisions, latest.status, 'preview'));
      changedSinceIssue = contentHashOf(doc) !== latest.content_hash;
    } catch (error) {
      // no findings any more (all retracted): the issued advisory no longer says what is true
      if (!(error instanceof AppError)) {
        throw error;
      }
      changedSinceIssue = true;
    }
  }
  return {
    ...toAdvisory(row),
    revisions: revisions.map((r) => ({
      revision: r.revision,
      status: r.status,
      summary: r.summary,
      sha256: r.sha256,
      issuedAt: r.issued_at.toISOString(),
      issuedBy: r.issued_by_label,
    })),
    changedSinceIssue,
  };
};

/** The document the next revision would carry (status kept, or draft), with its validation; nothing is stored. */
export const previewCsafAdvisory = async (
  ctx: Ctx,
  id: string,
): Promise<{ document: Record<string, unknown>; validation: CsafValidation }> => {
  const row = await findRow(ctx, id);
  if (!row) {
    throw notFound();
  }
  const revisions = await revisionsOf(ctx, id);
  const document = await compose(
    ctx,
    row,
    nextTracking(ctx, row, revisions, row.status === 'draft' ? 'interim' : row.status, 'Preview'),
  );
  return { document, validation: await validateCsaf(document) };
};

/**
 * Issues the next revision (interim or final) from the current findings.
 * @throws NOT_FOUND
 * @throws CONFLICT when the row version differs (someone issued in between), when nothing changed since the latest
 *   revision, or when a final advisory would go back to interim
 * @throws VALIDATION_FAILED when the document fails the CSAF schema or a mandatory test (with the failures)
 */
export const issueCsafAdvisory = async (
  ctx: Ctx,
  id: string,
  input: IssueCsafAdvisory,
): Promise<CsafAdvisoryDetail> => {
  const row = await findRow(ctx, id);
  if (!row) {
    throw notFound();
  }
  if (input.version !== undefined && input.version !== row.version) {
    throw new AppError(ErrorCode.CONFLICT, {
      detail: 'The advisory changed since you opened it / 다른 사용자가 변경했습니다',
    });
  }
  if (row.status === 'final' && input.status === 'interim') {
    throw new AppError(ErrorCode.CONFLICT, {
      detail:
        'A final advisory stays final; issue a new final revision / 확정된 권고문은 중간 상태로 되돌릴 수 없습니다',
    });
  }
  const revisions = await revisionsOf(ctx, id);
  const latest = revisions.at(-1);
  const summary = input.summary ?? (latest ? 'Updated from the current findings' : 'Initial version');
  const doc = await compose(ctx, row, nextTracking(ctx, row, revisions, input.status, summary));
  const contentHash = contentHashOf(doc);
  if (latest && latest.content_hash === contentHash && latest.status === input.status) {
    throw new AppError(ErrorCode.CONFLICT, {
      detail: `Nothing changed since revision ${latest.revision} / 최근 발행 이후 변경 사항이 없습니다`,
    });
  }
  const validation = await validateCsaf(doc);
  if (!validation.isValid) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: 'The CSAF document fails validation / CSAF 문서 검증에 실패했습니다',
      errors: validation.errors.map((e) => ({
        path: e.instancePath || '/',
        message: `${e.test}: ${e.message}`,
      })),
    });
  }
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const sha256 = createHash('sha256').update(text).digest('hex');
  await withTx(ctx, async (tx) => {
    const [locked] = await tx.query<{ current_revision: number; version: number }>(
      'SELECT current_revision, version FROM csaf_advisories WHERE organization_id = $1 AND id = $2 FOR UPDATE',
      [orgOf(ctx), id],
    );
    if (!locked || locked.current_revision !== row.current_revision || locked.version !== row.version) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'The advisory was issued by someone else meanwhile / 다른 사용자가 먼저 발행했습니다',
      });
    }
    const now = ctx.clock.now();
    const revision = row.current_revision + 1;
    await tx.query(
      `INSERT INTO csaf_advisory_revisions (id, advisory_id, organization_id, revision, status, summary, document,
         sha256, content_hash, issued_by, issued_by_label, issued_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        uuidv7(now.getTime()),
        id,
        orgOf(ctx),
        revision,
        input.status,
        summary,
        text,
        sha256,
        contentHash,
        ctx.actor.userId,
        ctx.actor.label,
        new Date(
          Date.parse(
            (doc.document as { tracking: { current_release_date: string } }).tracking.current_release_date,
          ),
        ),
      ],
    );
    await tx.query(
      `UPDATE csaf_advisories SET status = $3, current_revision = $4, updated_at = $5, version = version + 1
        WHERE organization_id = $1 AND id = $2`,
      [orgOf(ctx), id, input.status, revision, now],
    );
    await recordAudit(ctx, tx, {
      action: 'csaf.advisory_issued',
      targetType: 'csaf_advisory',
      targetId: id,
      details: { trackingId: row.tracking_id, revision, status: input.status, sha256, summary },
    });
  });
  return getCsafAdvisory(ctx, id);
};

/**
 * One issued revision's document, exactly as issued (`latest` for the newest).
 * @throws NOT_FOUND
 */
export const getCsafRevision = async (
  ctx: Ctx,
  id: string,
  revision: number | 'latest',
): Promise<{ text: string; sha256: string; trackingId: string; revision: number }> => {
  const [row] = await ctx.db.query<{
    document: string;
    sha256: string;
    tracking_id: string;
    revision: number;
  }>(
    `SELECT v.document, v.sha256, a.tracking_id, v.revision FROM csaf_advisory_revisions v
       JOIN csaf_advisories a ON a.id = v.advisory_id
      WHERE v.organization_id = $1 AND v.advisory_id = $2 AND ($3::int IS NULL OR v.revision = $3)
      ORDER BY v.revision DESC LIMIT 1`,
    [orgOf(ctx), id, revision === 'latest' ? null : revision],
  );
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, {
      detail: 'No such issued revision / 발행된 개정판이 없습니다',
    });
  }
  return { text: row.document, sha256: row.sha256, trackingId: row.tracking_id, revision: row.revision };
};

/**
 * The stored advisory a CLI argument names: its id or tracking id, or (for a vulnerability id or alias and a product)
 * the product's security advisory of that vulnerability, or (for a release) its VEX document.
 */
export const findStoredAdvisory = async (
  ctx: Ctx,
  ref: { idOrTrackingId?: string; productId?: string; vulnerabilityId?: string; releaseId?: string },
): Promise<CsafAdvisory | undefined> => {
  const rows = await ctx.db.query<AdvisoryRow>(
    `${SELECT} LEFT JOIN vulnerabilities v ON v.id = a.vulnerability_id
      WHERE a.organization_id = $1 AND (
        ($2::text IS NOT NULL AND (a.tracking_id = $2 OR a.id::text = $2))
        OR ($3::uuid IS NOT NULL AND $4::text IS NOT NULL AND a.profile = 'security_advisory' AND a.product_id = $3
            AND (a.vulnerability_id = $4 OR $4 = ANY (v.aliases)))
        OR ($5::uuid IS NOT NULL AND a.profile = 'vex' AND a.release_id = $5))
      ORDER BY a.updated_at DESC LIMIT 1`,
    [
      orgOf(ctx),
      ref.idOrTrackingId ?? null,
      ref.productId ?? null,
      ref.vulnerabilityId ?? null,
      ref.releaseId ?? null,
    ],
  );
  return rows[0] ? toAdvisory(rows[0]) : undefined;
};

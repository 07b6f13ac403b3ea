import { createHash } from 'node:crypto';
import {
  AppError,
  type CatalogTemplate,
  type DocumentType,
  ErrorCode,
  hasPermission,
  type Permission,
  uuidv7,
} from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import type { Upload } from '../../http/upload.ts';
import { canonicalJson } from '../../platform/audit/audit.chain.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { getTemplate } from '../catalog/catalog.service.ts';
import { setItemLinks } from '../compliance/compliance.service.ts';
import { inspectFile } from '../evidence/evidence.content.ts';
import { getBlob, putBlob } from '../evidence/evidence.service.ts';

/**
 * Controlled documents (procedures, guidelines, plans, reports, record templates, records): numbered, revised,
 * reviewed and approved with electronic signatures (작성/검토/승인) that require re-authentication and bind the
 * signer, the time, the meaning and the SHA-256 of the signed file; retained for at least 5 years from manufacture
 * and 2 years after marketing ends (MFDS 2025 붙임1), with destruction blocked before that.
 */
export type DocumentStatus = 'draft' | 'in-review' | 'approved' | 'obsolete' | 'destroyed';
export type SignatureMeaning = 'author' | 'reviewer' | 'approver';

const MEANING_PERMISSION: Record<SignatureMeaning, Permission> = {
  author: 'documents:write',
  reviewer: 'documents:review',
  approver: 'documents:sign',
};

interface DocRow {
  id: string;
  number: string;
  title: string;
  type: DocumentType;
  product_id: string | null;
  revision: number;
  status: DocumentStatus;
  template_key: string | null;
  retention_years: number;
  retention_after_market_years: number;
  manufactured_on: string | Date | null;
  marketing_ended_on: string | Date | null;
  created_at: Date;
  updated_at: Date;
  destroyed_at: Date | null;
}
interface RevisionRow {
  id: string;
  revision: number;
  status: 'draft' | 'in-review' | 'approved' | 'superseded';
  file_name: string | null;
  media_type: string | null;
  size: string | number | null;
  sha256: string | null;
  change_summary: string;
  created_at: Date;
  approved_at: Date | null;
}
interface SignatureRow {
  id: string;
  revision_id: string;
  meaning: SignatureMeaning;
  signer_id: string;
  signer_name: string;
  signer_role: string;
  document_sha256: string;
  signed_at: Date;
  signature_hash: string;
  comment: string;
}

const dateOnly = (d: string | Date | null): string | null =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

const addYears = (date: string, years: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
};

/**
 * The end of retention: the later of manufacture + N years and end of marketing + M years (붙임1: at least 5 years
 * from manufacture, 2 years after marketing). Unknown while either date is unknown.
 */
export const retentionEndOf = (d: {
  manufacturedOn: string | null;
  marketingEndedOn: string | null;
  retentionYears: number;
  retentionAfterMarketYears: number;
}): string | null => {
  if (!d.manufacturedOn || !d.marketingEndedOn) {
    return null;
  }
  const a = addYears(d.manufacturedOn, d.retentionYears);
  const b = addYears(d.marketingEndedOn, d.retentionAfterMarketYears);
  // ISO dates compare as strings
  return [a, b].sort()[1]!;
};

const signatureHashOf = (s: {
  revisionId: string;
  meaning: string;
  signerId: string;
  signerName: string;
  signedAt: string;
  documentSha256: string;
}) => createHash('sha256').update(canonicalJson(s)).digest('hex');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const toDoc = (r: DocRow) => {
  const base = {
    manufacturedOn: dateOnly(r.manufactured_on),
    marketingEndedOn: dateOnly(r.marketing_ended_on),
    retentionYears: r.retention_years,
    retentionAfterMarketYears: r.retention_after_market_years,
  };
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    type: r.type,
    productId: r.product_id,
    revision: r.revision,
    status: r.status,
    templateKey: r.template_key,
    ...base,
    retentionEnd: retentionEndOf(base),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
};
export type ControlledDocument = ReturnType<typeof toDoc>;

const requireDoc = async (ctx: Ctx, q: Queryable, id: string, forUpdate = false): Promise<DocRow> => {
  const [row] = await q.query<DocRow>(
    `SELECT * FROM controlled_documents WHERE organization_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [orgOf(ctx), id],
  );
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such document / 없는 문서입니다' });
  }
  return row;
};

const currentRevision = async (ctx: Ctx, q: Queryable, doc: DocRow): Promise<RevisionRow> => {
  const [rev] = await q.query<RevisionRow>(
    'SELECT * FROM document_revisions WHERE organization_id = $1 AND document_id = $2 AND revision = $3',
    [orgOf(ctx), doc.id, doc.revision],
  );
  return rev!;
};

export interface CreateDocumentInput {
  number: string;
  title: string;
  type: DocumentType;
  productId: string | null;
  retentionYears: number;
  retentionAfterMarketYears: number;
  manufacturedOn: string | null;
  marketingEndedOn: string | null;
  templateKey?: string | null;
}

const insertDocument = async (ctx: Ctx, tx: Queryable, input: CreateDocumentInput) => {
  const [dup] = await tx.query(
    'SELECT 1 FROM controlled_documents WHERE organization_id = $1 AND number = $2',
    [orgOf(ctx), input.number],
  );
  if (dup) {
    throw new AppError(ErrorCode.CONFLICT, {
      detail: `Document ${input.number} exists / 이미 있는 문서번호입니다`,
    });
  }
  if (input.productId) {
    const [p] = await tx.query('SELECT 1 FROM products WHERE organization_id = $1 AND id = $2', [
      orgOf(ctx),
      input.productId,
    ]);
    if (!p) {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such product / 없는 제품입니다' });
    }
  }
  const now = ctx.clock.now();
  const id = uuidv7(now.getTime());
  await tx.query(
    `INSERT INTO controlled_documents (id, organization_id, number, title, type, product_id, revision, status, template_key,
       retention_years, retention_after_market_years, manufactured_on, marketing_ended_on, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 1, 'draft', $7, $8, $9, $10, $11, $12, $13, $13)`,
    [
      id,
      orgOf(ctx),
      input.number,
      input.title,
      input.type,
      input.productId,
      input.templateKey ?? null,
      input.retentionYears,
      input.retentionAfterMarketYears,
      input.manufacturedOn,
      input.marketingEndedOn,
      ctx.actor.userId,
      now,
    ],
  );
  await tx.query(
    `INSERT INTO document_revisions (id, organization_id, document_id, revision, status, author_id, created_at)
     VALUES ($1, $2, $3, 1, 'draft', $4, $5)`,
    [uuidv7(now.getTime()), orgOf(ctx), id, ctx.actor.userId, now],
  );
  return id;
};

export const createDocument = (ctx: Ctx, input: CreateDocumentInput): Promise<ControlledDocument> =>
  withTx(ctx, async (tx) => {
    const id = await insertDocument(ctx, tx, input);
    await recordAudit(ctx, tx, {
      action: 'document.created',
      targetType: 'document',
      targetId: id,
      details: { number: input.number, title: input.title, type: input.type },
    });
    return toDoc(await requireDoc(ctx, tx, id));
  });

/** Creates the document list of a catalog template (e.g. 붙임1: QP-006 … REC-SEC-003) in one step. */
export const createFromTemplate = async (
  ctx: Ctx,
  templateKey: string,
  productId: string | null,
): Promise<{ created: ControlledDocument[]; skipped: string[] }> => {
  const template: CatalogTemplate = await getTemplate(ctx, templateKey);
  if (template.documents.length === 0) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `Template ${templateKey} lists no documents / 문서 목록이 없는 서식입니다`,
    });
  }
  return withTx(ctx, async (tx) => {
    const created: ControlledDocument[] = [];
    const skipped: string[] = [];
    const existing = new Set(
      (
        await tx.query<{ number: string }>(
          'SELECT number FROM controlled_documents WHERE organization_id = $1',
          [orgOf(ctx)],
        )
      ).map((r) => r.number),
    );
    for (const d of template.documents) {
      if (existing.has(d.number)) {
        skipped.push(d.number);
        continue;
      }
      const id = await insertDocument(ctx, tx, {
        number: d.number,
        title: d.titleKo,
        type: d.type,
        productId,
        retentionYears: Math.max(d.retentionYears ?? 5, 5),
        retentionAfterMarketYears: 2,
        manufacturedOn: null,
        marketingEndedOn: null,
        templateKey,
      });
      created.push(toDoc(await requireDoc(ctx, tx, id)));
    }
    await recordAudit(ctx, tx, {
      action: 'document.created_from_template',
      targetType: 'template',
      targetId: templateKey,
      details: { created: created.map((c) => c.number), skipped },
    });
    return { created, skipped };
  });
};

export const listDocuments = async (
  ctx: Ctx,
  filter: {
    status?: DocumentStatus | undefined;
    type?: DocumentType | undefined;
    productId?: string | undefined;
  },
): Promise<ControlledDocument[]> => {
  const params: unknown[] = [orgOf(ctx)];
  const where = ['organization_id = $1'];
  if (filter.status) {
    params.push(filter.status);
    where.push(`status = $${params.length}`);
  }
  if (filter.type) {
    params.push(filter.type);
    where.push(`type = $${params.length}`);
  }
  if (filter.productId) {
    params.push(filter.productId);
    where.push(`product_id = $${params.length}`);
  }
  return (
    await ctx.db.query<DocRow>(
      `SELECT * FROM controlled_documents WHERE ${where.join(' AND ')} ORDER BY number LIMIT 1000`,
      params,
    )
  ).map(toDoc);
};

/**
 * A document with its revisions and signatures; each signature is verified: its own hash recomputed from the bound
 * fields, and the signed SHA-256 compared with the stored file's actual content.
 */
export const getDocument = async (ctx: Ctx, id: string) => {
  const doc = await requireDoc(ctx, ctx.db, id);
  const revisions = await ctx.db.query<RevisionRow>(
    'SELECT * FROM document_revisions WHERE organization_id = $1 AND document_id = $2 ORDER BY revision DESC',
    [orgOf(ctx), id],
  );
  const signatures = await ctx.db.query<SignatureRow>(
    `SELECT s.* FROM document_signatures s JOIN document_revisions r ON r.id = s.revision_id
      WHERE s.organization_id = $1 AND r.document_id = $2 ORDER BY s.signed_at`,
    [orgOf(ctx), id],
  );
  const actual = new Map<string, string | null>();
  for (const r of revisions) {
    actual.set(
      r.id,
      r.sha256 && doc.status !== 'destroyed'
        ? sha256(await getBlob(ctx, ctx.db, r.sha256).catch(() => Buffer.alloc(0)))
        : null,
    );
  }
  return {
    ...toDoc(doc),
    revisions: revisions.map((r) => ({
      revision: r.revision,
      status: r.status,
      fileName: r.file_name,
      mediaType: r.media_type,
      size: r.size === null ? null : Number(r.size),
      sha256: r.sha256,
      changeSummary: r.change_summary,
      createdAt: r.created_at.toISOString(),
      approvedAt: r.approved_at?.toISOString() ?? null,
      signatures: signatures
        .filter((s) => s.revision_id === r.id)
        .map((s) => {
          const selfOk =
            signatureHashOf({
              revisionId: s.revision_id,
              meaning: s.meaning,
              signerId: s.signer_id,
              signerName: s.signer_name,
              signedAt: s.signed_at.toISOString(),
              documentSha256: s.document_sha256,
            }) === s.signature_hash;
          const contentOk = actual.get(r.id) === s.document_sha256 && r.sha256 === s.document_sha256;
          return {
            meaning: s.meaning,
            signerId: s.signer_id,
            signerName: s.signer_name,
            signerRole: s.signer_role,
            signedAt: s.signed_at.toISOString(),
            documentSha256: s.document_sha256,
            comment: s.comment,
            valid: selfOk && contentOk,
            problem: !selfOk
              ? 'signature record altered / 서명 기록 변조'
              : !contentOk
                ? 'document changed after signing / 서명 후 문서 변경'
                : null,
          };
        }),
    })),
  };
};

/**
 * Puts a file into the document. A draft takes it as its content (any earlier draft signatures are void, so a
 * draft with signatures is refused); an approved document gets a new revision; one in review must be withdrawn first.
 */
export const uploadDocumentFile = async (ctx: Ctx, id: string, upload: Upload, changeSummary: string) => {
  const inspected = await inspectFile(upload.fileName, upload.bytes);
  return withTx(ctx, async (tx) => {
    const doc = await requireDoc(ctx, tx, id, true);
    if (doc.status === 'in-review') {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'The document is in review: withdraw it to change it / 검토 중인 문서입니다',
      });
    }
    if (doc.status === 'obsolete' || doc.status === 'destroyed') {
      throw new AppError(ErrorCode.CONFLICT, { detail: `The document is ${doc.status} / 폐기된 문서입니다` });
    }
    const hash = await putBlob(ctx, tx, upload.bytes);
    const now = ctx.clock.now();
    let revision = doc.revision;
    if (doc.status === 'approved') {
      revision = doc.revision + 1;
      await tx.query(
        `INSERT INTO document_revisions (id, organization_id, document_id, revision, status, author_id, created_at)
         VALUES ($1, $2, $3, $4, 'draft', $5, $6)`,
        [uuidv7(now.getTime()), orgOf(ctx), id, revision, ctx.actor.userId, now],
      );
    }
    await tx.query(
      `UPDATE document_revisions SET file_name = $4, media_type = $5, size = $6, sha256 = $7, change_summary = $8
        WHERE organization_id = $1 AND document_id = $2 AND revision = $3`,
      [
        orgOf(ctx),
        id,
        revision,
        upload.fileName,
        inspected.mediaType,
        upload.bytes.length,
        hash,
        changeSummary,
      ],
    );
    await tx.query(
      `UPDATE controlled_documents SET revision = $3, status = 'draft', updated_at = $4 WHERE organization_id = $1 AND id = $2`,
      [orgOf(ctx), id, revision, now],
    );
    await recordAudit(ctx, tx, {
      action: 'document.file_uploaded',
      targetType: 'document',
      targetId: id,
      details: { number: doc.number, revision, sha256: hash, newRevision: revision !== doc.revision },
    });
    return toDoc(await requireDoc(ctx, tx, id));
  });
};

/**
 * Signs the current revision. The route requires a fresh re-authentication; here: the signer's permission for the
 * meaning, the workflow order (author → reviewer → approver), and separation of duties (reviewer and approver are not
 * the author; the approver is not the reviewer). The signature binds signer, time, meaning and the file's SHA-256.
 */
export const signDocument = (ctx: Ctx, id: string, meaning: SignatureMeaning, comment: string) =>
  withTx(ctx, async (tx) => {
    if (ctx.actor.kind !== 'user' || !ctx.actor.userId || !ctx.actor.role) {
      throw new AppError(ErrorCode.FORBIDDEN, {
        detail: 'Only a person can sign / 사람만 서명할 수 있습니다',
      });
    }
    if (!hasPermission(ctx.actor.role, MEANING_PERMISSION[meaning])) {
      throw new AppError(ErrorCode.FORBIDDEN, {
        detail: `Your role cannot sign as ${meaning} / 이 역할로 ${meaning} 서명을 할 수 없습니다`,
      });
    }
    const doc = await requireDoc(ctx, tx, id, true);
    const rev = await currentRevision(ctx, tx, doc);
    if (!rev.sha256) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'Upload the document file first / 문서 파일을 먼저 올리세요',
      });
    }
    const sigs = await tx.query<SignatureRow>('SELECT * FROM document_signatures WHERE revision_id = $1', [
      rev.id,
    ]);
    const by = (m: SignatureMeaning) => sigs.filter((s) => s.meaning === m);
    const expected: DocumentStatus = meaning === 'author' ? 'draft' : 'in-review';
    if (doc.status !== expected) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: `A ${meaning} signs a document that is ${expected}; this one is ${doc.status} / 서명 순서가 맞지 않습니다`,
      });
    }
    const author = by('author')[0];
    if (meaning !== 'author' && author?.signer_id === ctx.actor.userId) {
      throw new AppError(ErrorCode.FORBIDDEN, {
        detail: 'The author cannot review or approve their own document / 작성자는 검토·승인할 수 없습니다',
      });
    }
    if (meaning === 'approver') {
      if (by('reviewer').length === 0) {
        throw new AppError(ErrorCode.CONFLICT, {
          detail: 'Review it before approval / 검토 서명이 먼저 필요합니다',
        });
      }
      if (by('reviewer').some((s) => s.signer_id === ctx.actor.userId)) {
        throw new AppError(ErrorCode.FORBIDDEN, {
          detail: 'The reviewer cannot also approve / 검토자는 승인할 수 없습니다',
        });
      }
    }
    if (sigs.some((s) => s.meaning === meaning && s.signer_id === ctx.actor.userId)) {
      throw new AppError(ErrorCode.CONFLICT, { detail: 'You have already signed this / 이미 서명했습니다' });
    }
    const [user] = await tx.query<{ display_name: string; email: string }>(
      'SELECT display_name, email FROM users WHERE id = $1',
      [ctx.actor.userId],
    );
    const now = ctx.clock.now();
    const signedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const signerName = `${user!.display_name} <${user!.email}>`;
    const signatureHash = signatureHashOf({
      revisionId: rev.id,
      meaning,
      signerId: ctx.actor.userId,
      signerName,
      signedAt: signedAt.toISOString(),
      documentSha256: rev.sha256,
    });
    await tx.query(
      `INSERT INTO document_signatures (id, organization_id, revision_id, meaning, signer_id, signer_name, signer_role,
         document_sha256, signed_at, signature_hash, comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        uuidv7(now.getTime()),
        orgOf(ctx),
        rev.id,
        meaning,
        ctx.actor.userId,
        signerName,
        ctx.actor.role,
        rev.sha256,
        signedAt,
        signatureHash,
        comment,
      ],
    );
    let status: DocumentStatus = doc.status;
    if (meaning === 'author') {
      status = 'in-review';
      await tx.query(`UPDATE document_revisions SET status = 'in-review' WHERE id = $1`, [rev.id]);
    }
    if (meaning === 'approver') {
      status = 'approved';
      await tx.query(
        `UPDATE document_revisions SET status = 'superseded' WHERE document_id = $1 AND status = 'approved'`,
        [id],
      );
      await tx.query(`UPDATE document_revisions SET status = 'approved', approved_at = $2 WHERE id = $1`, [
        rev.id,
        now,
      ]);
    }
    await tx.query('UPDATE controlled_documents SET status = $2, updated_at = $3 WHERE id = $1', [
      id,
      status,
      now,
    ]);
    await recordAudit(ctx, tx, {
      action: 'document.signed',
      targetType: 'document',
      targetId: id,
      details: { number: doc.number, revision: rev.revision, meaning, sha256: rev.sha256, signatureHash },
    });
    return toDoc(await requireDoc(ctx, tx, id));
  });

/** Back to draft from review (the review signatures on that revision stop counting: a new author signature is needed). */
export const withdrawDocument = (ctx: Ctx, id: string) =>
  withTx(ctx, async (tx) => {
    const doc = await requireDoc(ctx, tx, id, true);
    if (doc.status !== 'in-review') {
      throw new AppError(ErrorCode.CONFLICT, { detail: 'Only a document in review can be withdrawn' });
    }
    // Signatures are append-only: the withdrawn revision keeps them; work continues on a new revision.
    const rev = await currentRevision(ctx, tx, doc);
    const now = ctx.clock.now();
    await tx.query(`UPDATE document_revisions SET status = 'superseded' WHERE id = $1`, [rev.id]);
    await tx.query(
      `INSERT INTO document_revisions (id, organization_id, document_id, revision, status, file_name, media_type, size, sha256,
         change_summary, author_id, created_at)
       VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $10, $11)`,
      [
        uuidv7(now.getTime()),
        orgOf(ctx),
        id,
        doc.revision + 1,
        rev.file_name,
        rev.media_type,
        rev.size,
        rev.sha256,
        rev.change_summary,
        ctx.actor.userId,
        now,
      ],
    );
    await tx.query(
      `UPDATE controlled_documents SET status = 'draft', revision = $2, updated_at = $3 WHERE id = $1`,
      [id, doc.revision + 1, now],
    );
    await recordAudit(ctx, tx, { action: 'document.withdrawn', targetType: 'document', targetId: id });
    return toDoc(await requireDoc(ctx, tx, id));
  });

export const updateRetention = (
  ctx: Ctx,
  id: string,
  input: {
    manufacturedOn?: string | null | undefined;
    marketingEndedOn?: string | null | undefined;
    retentionYears?: number | undefined;
    retentionAfterMarketYears?: number | undefined;
  },
) =>
  withTx(ctx, async (tx) => {
    const doc = await requireDoc(ctx, tx, id, true);
    if (input.retentionYears !== undefined && input.retentionYears < 5) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: 'Retention is at least 5 years from manufacture (붙임1) / 보존기간은 제조일로부터 최소 5년',
      });
    }
    if (input.retentionAfterMarketYears !== undefined && input.retentionAfterMarketYears < 2) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: 'Retention is at least 2 years after marketing (붙임1) / 시판 후 최소 2년',
      });
    }
    await tx.query(
      `UPDATE controlled_documents SET manufactured_on = $2, marketing_ended_on = $3, retention_years = $4,
         retention_after_market_years = $5, updated_at = $6 WHERE id = $1`,
      [
        id,
        input.manufacturedOn !== undefined ? input.manufacturedOn : doc.manufactured_on,
        input.marketingEndedOn !== undefined ? input.marketingEndedOn : doc.marketing_ended_on,
        input.retentionYears ?? doc.retention_years,
        input.retentionAfterMarketYears ?? doc.retention_after_market_years,
        ctx.clock.now(),
      ],
    );
    await recordAudit(ctx, tx, {
      action: 'document.retention_set',
      targetType: 'document',
      targetId: id,
      details: input,
    });
    return toDoc(await requireDoc(ctx, tx, id));
  });

export const obsoleteDocument = (ctx: Ctx, id: string) =>
  withTx(ctx, async (tx) => {
    const doc = await requireDoc(ctx, tx, id, true);
    if (doc.status === 'destroyed' || doc.status === 'obsolete') {
      throw new AppError(ErrorCode.CONFLICT, { detail: `The document is already ${doc.status}` });
    }
    await tx.query(`UPDATE controlled_documents SET status = 'obsolete', updated_at = $2 WHERE id = $1`, [
      id,
      ctx.clock.now(),
    ]);
    await recordAudit(ctx, tx, { action: 'document.obsoleted', targetType: 'document', targetId: id });
    return toDoc(await requireDoc(ctx, tx, id));
  });

/**
 * Destroys an obsolete document's content after its retention period. Refused while retention runs or cannot be
 * computed (the dates are unknown). The record of the document, its revisions' hashes and signatures stay.
 */
export const destroyDocument = (ctx: Ctx, id: string) =>
  withTx(ctx, async (tx) => {
    const doc = await requireDoc(ctx, tx, id, true);
    if (doc.status !== 'obsolete') {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'Only an obsolete document can be destroyed / 폐기 전 단계',
      });
    }
    const end = toDoc(doc).retentionEnd;
    const today = ctx.clock.now().toISOString().slice(0, 10);
    if (!end || today < end) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: end
          ? `Retention runs until ${end}; destruction is blocked / 보존기간(${end})이 끝나지 않았습니다`
          : 'Retention end is unknown: set the manufacture and end-of-marketing dates / 보존기간을 계산할 수 없습니다',
      });
    }
    const hashes = await tx.query<{ sha256: string }>(
      'SELECT DISTINCT sha256 FROM document_revisions WHERE document_id = $1 AND sha256 IS NOT NULL',
      [id],
    );
    await tx.query(
      `UPDATE controlled_documents SET status = 'destroyed', destroyed_at = $2, updated_at = $2 WHERE id = $1`,
      [id, ctx.clock.now()],
    );
    for (const h of hashes) {
      // Delete the content unless another revision, document or evidence still uses it.
      await tx.query(
        `DELETE FROM blobs b WHERE b.organization_id = $1 AND b.sha256 = $2
           AND NOT EXISTS (SELECT 1 FROM document_revisions r JOIN controlled_documents d ON d.id = r.document_id
                            WHERE r.sha256 = b.sha256 AND d.organization_id = $1 AND d.status <> 'destroyed')
           AND NOT EXISTS (SELECT 1 FROM evidence_versions v WHERE v.sha256 = b.sha256 AND v.organization_id = $1)`,
        [orgOf(ctx), h.sha256],
      );
    }
    await recordAudit(ctx, tx, {
      action: 'document.destroyed',
      targetType: 'document',
      targetId: id,
      details: { number: doc.number, retentionEnd: end },
    });
  });

export const downloadDocument = (ctx: Ctx, id: string, revision: number) =>
  withTx(ctx, async (tx) => {
    const doc = await requireDoc(ctx, tx, id);
    const [rev] = await tx.query<RevisionRow>(
      'SELECT * FROM document_revisions WHERE organization_id = $1 AND document_id = $2 AND revision = $3',
      [orgOf(ctx), id, revision],
    );
    if (!rev?.sha256 || doc.status === 'destroyed') {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No file for this revision / 파일이 없습니다' });
    }
    const bytes = await getBlob(ctx, tx, rev.sha256);
    await recordAudit(ctx, tx, {
      action: 'document.downloaded',
      targetType: 'document',
      targetId: id,
      details: { number: doc.number, revision },
    });
    return {
      fileName: rev.file_name ?? `${doc.number}`,
      mediaType: rev.media_type ?? 'application/octet-stream',
      bytes,
      sha256: rev.sha256,
    };
  });

/** Links documents to assessment items: the 붙임2 column "document number that verifies it". */
export const linkDocument = (ctx: Ctx, id: string, itemIds: string[], link: boolean) =>
  withTx(ctx, async (tx) => {
    await requireDoc(ctx, tx, id);
    const items = await setItemLinks(
      ctx,
      tx,
      { table: 'document_links', column: 'document_id', id },
      itemIds,
      link,
    );
    await recordAudit(ctx, tx, {
      action: link ? 'document.attached' : 'document.detached',
      targetType: 'document',
      targetId: id,
      details: { items },
    });
    return { linked: itemIds.length };
  });

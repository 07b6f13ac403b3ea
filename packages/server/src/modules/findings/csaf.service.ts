import { AppError, buildCsafAdvisory, ErrorCode } from '@medsec/core';
// @ts-expect-error the BSI validator ships JavaScript without type declarations
import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
import { type Ctx, orgOf } from '../../context.ts';
import { recordAuditAlone } from '../../platform/audit/audit.service.ts';
import { getProduct, listReleases } from '../products/products.service.ts';
import { validateCsaf } from './csaf.validate.ts';
import { listFindings } from './findings.service.ts';

/**
 * CSAF 2.0 security advisories for one vulnerability of one product, authored from its findings, and validated with
 * the BSI csaf-validator-lib (strict schema and the mandatory tests 6.1.x, see `csaf.validate.ts`) before they leave
 * the server. `composeCsafAdvisory` builds the document with given tracking data (stored advisories issue revisions
 * with it); `exportCsaf` is the one-off export (version 1, final).
 */
export { type CsafValidation, validateCsaf } from './csaf.validate.ts';

const CWE_NAMES: Record<string, string> = Object.fromEntries(
  (weaknesses as { id: string; name: string }[]).map((w) => [w.id, w.name]),
);

/** The `document.tracking` parts a caller decides (a stored advisory's history, or a one-off export's defaults). */
export interface CsafTracking {
  trackingId: string;
  status: 'draft' | 'interim' | 'final';
  version: string;
  initialReleaseDate: string;
  currentReleaseDate: string;
  revisionHistory: { date: string; number: string; summary: string }[];
}

/** A CSAF date-time (seconds precision, `Z`). */
export const csafNow = (ctx: Ctx): string =>
  ctx.clock
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');

/** A one-off export's tracking: version 1, final, issued now. */
export const oneOffTracking = (ctx: Ctx, trackingId: string): CsafTracking => {
  const now = csafNow(ctx);
  return {
    trackingId,
    status: 'final',
    version: '1',
    initialReleaseDate: now,
    currentReleaseDate: now,
    revisionHistory: [{ date: now, number: '1', summary: 'Initial version' }],
  };
};

interface VulnerabilityRow {
  id: string;
  aliases: string[];
  summary: string | null;
  cwes: string[];
  cvss3_vector: string | null;
  cvss3_score: string | null;
}

/** The vulnerability record (by id) as the CSAF builders take it. */
export const loadCsafVulnerability = async (ctx: Ctx, id: string) => {
  const [v] = await ctx.db.query<VulnerabilityRow>(
    'SELECT id, aliases, summary, cwes, cvss3_vector, cvss3_score FROM vulnerabilities WHERE id = $1',
    [id],
  );
  if (!v) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such vulnerability / 없는 취약점입니다' });
  }
  const score = v.cvss3_score === null ? null : Number(v.cvss3_score);
  return {
    id: v.id,
    aliases: v.aliases,
    summary: v.summary,
    cwes: v.cwes,
    cweNames: CWE_NAMES,
    cvss3:
      v.cvss3_vector && score !== null
        ? {
            vector: v.cvss3_vector,
            score,
            severity:
              score >= 9
                ? 'critical'
                : score >= 7
                  ? 'high'
                  : score >= 4
                    ? 'medium'
                    : score > 0
                      ? 'low'
                      : 'none',
          }
        : null,
  };
};

/** The default tracking id of a product's advisory for a vulnerability. */
export const advisoryTrackingId = (model: string, vulnerabilityId: string): string =>
  `MSW-${model}-${vulnerabilityId}`.replace(/[^A-Za-z0-9._-]/g, '-');

/**
 * Builds the security advisory of one vulnerability (id or alias) of a product from its findings. Reads outside any
 * transaction (PGlite has one connection).
 * @throws NOT_FOUND when the product has no finding of the vulnerability
 */
export const composeCsafAdvisory = async (
  ctx: Ctx,
  input: { productId: string; vulnerabilityId: string; tracking?: CsafTracking },
) => {
  const product = await getProduct(ctx, input.productId);
  const findings = await listFindings(ctx, {
    productId: input.productId,
    vulnerabilityId: input.vulnerabilityId,
  });
  if (findings.length === 0) {
    throw new AppError(ErrorCode.NOT_FOUND, {
      detail: `No finding of ${input.vulnerabilityId} in this product / 이 제품에 해당 취약점이 없습니다`,
    });
  }
  const vulnerabilityId = findings[0]!.vulnerabilityId;
  const vulnerability = await loadCsafVulnerability(ctx, vulnerabilityId);
  const releases = (await listReleases(ctx, input.productId))
    .filter((r) => findings.some((f) => f.releaseId === r.id))
    .reverse();
  const tracking = input.tracking ?? oneOffTracking(ctx, advisoryTrackingId(product.model, vulnerabilityId));
  const doc = buildCsafAdvisory({
    ...tracking,
    title: `${vulnerabilityId} in ${product.name} ${product.model}`,
    publisher: { name: product.manufacturer, namespace: 'https://medsec.example/' },
    product: { name: product.name, model: product.model },
    vulnerability,
    releases: releases.map((r) => ({
      version: r.version,
      findings: findings
        .filter((f) => f.releaseId === r.id)
        .map((f) => ({
          component: f.component,
          componentVersion: f.componentVersion,
          purl: f.purl,
          state: f.state,
          justification: f.justification,
          impactStatement: f.impactStatement,
          actionStatement: f.actionStatement,
        })),
    })),
  });
  return { doc, trackingId: tracking.trackingId, vulnerabilityId, product };
};

/** The one-off export (version 1, final), validated; the export is audited in its own transaction. */
export const exportCsaf = async (ctx: Ctx, input: { productId: string; vulnerabilityId: string }) => {
  const { doc, trackingId } = await composeCsafAdvisory(ctx, input);
  const check = await validateCsaf(doc);
  await recordAuditAlone(ctx, {
    action: 'csaf.exported',
    targetType: 'product',
    targetId: input.productId,
    details: { vulnerability: input.vulnerabilityId, valid: check.isValid, organization: orgOf(ctx) },
  });
  return { doc, validation: check, trackingId };
};

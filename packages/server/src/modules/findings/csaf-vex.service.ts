import { AppError, buildCsafVex, ErrorCode } from '@medsec/core';
import { type Ctx, orgOf } from '../../context.ts';
import { recordAuditAlone } from '../../platform/audit/audit.service.ts';
import { getProduct, requireRelease } from '../products/products.service.ts';
import { type CsafTracking, loadCsafVulnerability, oneOffTracking } from './csaf.service.ts';
import { validateCsaf } from './csaf.validate.ts';
import { listFindings } from './findings.service.ts';

/**
 * CSAF 2.0 VEX (profile `csaf_vex`) of one product release from its findings (MFDS 2025 art. 21), optionally for one
 * vulnerability only. Validated like every CSAF output: schema and all mandatory tests, which include the VEX
 * profile's tests 6.1.27.6–6.1.27.11 (product status, VEX states, vulnerability id, impact and action statements).
 */
export const vexTrackingId = (model: string, version: string): string =>
  `MSW-VEX-${model}-${version}`.replace(/[^A-Za-z0-9._-]/g, '-');

/**
 * @throws NOT_FOUND for a release of another organization
 * @throws PRECONDITION_FAILED when the release has no (open or decided) finding: a VEX document needs one vulnerability
 */
export const composeCsafVex = async (
  ctx: Ctx,
  input: { releaseId: string; vulnerabilityId?: string | undefined; tracking?: CsafTracking },
) => {
  const release = await requireRelease(ctx, ctx.db, input.releaseId);
  const product = await getProduct(ctx, release.product_id);
  const findings = await listFindings(ctx, {
    releaseId: release.id,
    ...(input.vulnerabilityId ? { vulnerabilityId: input.vulnerabilityId } : {}),
  });
  if (findings.length === 0) {
    throw new AppError(ErrorCode.PRECONDITION_FAILED, {
      detail: `Release ${release.version} has no finding${input.vulnerabilityId ? ` of ${input.vulnerabilityId}` : ''} to state in a VEX document / VEX 문서에 기재할 취약점이 없습니다`,
    });
  }
  const ids = [...new Set(findings.map((f) => f.vulnerabilityId))].sort();
  const vulnerabilities = [];
  for (const id of ids) {
    const v = await loadCsafVulnerability(ctx, id);
    vulnerabilities.push({
      ...v,
      findings: findings
        .filter((f) => f.vulnerabilityId === id)
        .map((f) => ({
          component: f.component,
          componentVersion: f.componentVersion,
          purl: f.purl,
          state: f.state,
          justification: f.justification,
          impactStatement: f.impactStatement,
          actionStatement: f.actionStatement,
          remediation: f.remediation as 'none' | 'planned' | 'in-progress' | 'done' | 'wont-fix',
        })),
    });
  }
  const tracking = input.tracking ?? oneOffTracking(ctx, vexTrackingId(product.model, release.version));
  const doc = buildCsafVex({
    ...tracking,
    title: `VEX for ${product.name} ${product.model} ${release.version}`,
    publisher: { name: product.manufacturer, namespace: 'https://medsec.example/' },
    product: { name: product.name, model: product.model },
    release: { version: release.version },
    vulnerabilities,
  });
  return { doc, trackingId: tracking.trackingId, product, release };
};

/** The one-off VEX export (version 1, final), validated; audited in its own transaction. */
export const exportCsafVex = async (
  ctx: Ctx,
  input: { releaseId: string; vulnerabilityId?: string | undefined },
) => {
  const { doc, trackingId } = await composeCsafVex(ctx, input);
  const validation = await validateCsaf(doc);
  await recordAuditAlone(ctx, {
    action: 'csaf.exported',
    targetType: 'release',
    targetId: input.releaseId,
    details: {
      profile: 'vex',
      vulnerability: input.vulnerabilityId ?? null,
      valid: validation.isValid,
      organization: orgOf(ctx),
    },
  });
  return { doc, validation, trackingId };
};

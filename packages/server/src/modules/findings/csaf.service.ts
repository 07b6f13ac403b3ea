import { AppError, buildCsafAdvisory, ErrorCode } from '@medsec/core';
// @ts-expect-error the BSI validator ships JavaScript without type declarations
import * as basic from '@secvisogram/csaf-validator-lib/basic.js';
// @ts-expect-error the BSI validator ships JavaScript without type declarations
import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
// @ts-expect-error the BSI validator ships JavaScript without type declarations
import validate from '@secvisogram/csaf-validator-lib/validate.js';

const CWE_NAMES: Record<string, string> = Object.fromEntries(
  (weaknesses as { id: string; name: string }[]).map((w) => [w.id, w.name]),
);

import { type Ctx, orgOf } from '../../context.ts';
import { recordAuditAlone } from '../../platform/audit/audit.service.ts';
import { getProduct, listReleases } from '../products/products.service.ts';
import { listFindings } from './findings.service.ts';

/**
 * CSAF 2.0 security advisories for one vulnerability of one product, authored from its findings, and validated with
 * the BSI csaf-validator-lib (strict schema and the mandatory tests 6.1.x) before they leave the server.
 */
export interface CsafValidation {
  isValid: boolean;
  errors: { test: string; instancePath: string; message: string }[];
}

export const validateCsaf = async (doc: unknown): Promise<CsafValidation> => {
  const result = (await validate(Object.values(basic), doc)) as {
    isValid: boolean;
    tests: { name: string; errors: { instancePath: string; message: string }[] }[];
  };
  return {
    isValid: result.isValid,
    errors: result.tests.flatMap((t) =>
      t.errors.map((e) => ({ test: t.name, instancePath: e.instancePath, message: e.message })),
    ),
  };
};

/** Reads outside any transaction (PGlite has one connection), then audits the export in its own. */
export const exportCsaf = async (ctx: Ctx, input: { productId: string; vulnerabilityId: string }) => {
  {
    const tx = ctx.db;
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
    const [v] = await tx.query<{
      id: string;
      aliases: string[];
      summary: string | null;
      cwes: string[];
      cvss3_vector: string | null;
      cvss3_score: string | null;
    }>('SELECT id, aliases, summary, cwes, cvss3_vector, cvss3_score FROM vulnerabilities WHERE id = $1', [
      findings[0]!.vulnerabilityId,
    ]);
    const releases = (await listReleases(ctx, input.productId))
      .filter((r) => findings.some((f) => f.releaseId === r.id))
      .reverse();
    const now = ctx.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const score = v?.cvss3_score === null || v?.cvss3_score === undefined ? null : Number(v.cvss3_score);
    const trackingId = `MSW-${product.model}-${findings[0]!.vulnerabilityId}`.replace(
      /[^A-Za-z0-9._-]/g,
      '-',
    );
    const doc = buildCsafAdvisory({
      trackingId,
      title: `${findings[0]!.vulnerabilityId} in ${product.name} ${product.model}`,
      publisher: { name: product.manufacturer, namespace: 'https://medsec.example/' },
      product: { name: product.name, model: product.model },
      vulnerability: {
        id: v!.id,
        aliases: v!.aliases,
        summary: v!.summary,
        cwes: v!.cwes,
        cweNames: CWE_NAMES,
        cvss3:
          v!.cvss3_vector && score !== null
            ? {
                vector: v!.cvss3_vector,
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
      },
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
      status: 'final',
      version: '1',
      initialReleaseDate: now,
      currentReleaseDate: now,
      revisionHistory: [{ date: now, number: '1', summary: 'Initial version' }],
    });
    const check = await validateCsaf(doc);
    await recordAuditAlone(ctx, {
      action: 'csaf.exported',
      targetType: 'product',
      targetId: input.productId,
      details: { vulnerability: input.vulnerabilityId, valid: check.isValid, organization: orgOf(ctx) },
    });
    return { doc, validation: check, trackingId };
  }
};

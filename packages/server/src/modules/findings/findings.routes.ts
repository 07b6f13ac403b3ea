import { FindingChangeNoteSchema, FindingHistorySchema, IdParamsSchema, scoreCvss, text } from '@medsec/core';
import { z } from 'zod';
import { orgOf, withTx } from '../../context.ts';
import type { RegisterRoutes } from '../../http/types.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { getProduct, requireRelease } from '../products/products.service.ts';
import { exportCsaf } from './csaf.service.ts';
import { getDeadlinePolicy, SEVERITIES, setDeadlinePolicy } from './deadlines.ts';
import { getFindingHistory } from './finding-history.service.ts';
import {
  decideVulnerability,
  listFindings,
  REMEDIATIONS,
  SAFETY_IMPACTS,
  updateFinding,
  VEX_JUSTIFICATIONS,
  VEX_STATES,
} from './findings.service.ts';
import { buildRemediationReport, remediationReportDocx } from './remediation-report.ts';
import { buildCycloneDxVex, buildOpenVex, findingsCsv, findingsLedgerXlsx, validateOpenVex } from './vex.ts';

const tags = ['vulnerabilities'];
const bool = z.enum(['true', 'false']).optional();

const PatchSchema = z.strictObject({
  state: z.enum(VEX_STATES).optional(),
  justification: z.enum(VEX_JUSTIFICATIONS).nullable().optional(),
  impactStatement: text(4000).nullable().optional(),
  actionStatement: text(4000).nullable().optional(),
  remediation: z.enum(REMEDIATIONS).optional(),
  patientSafetyImpact: z.enum(SAFETY_IMPACTS).nullable().optional(),
  /** An environmental CVSS vector (3.1 or 4.0) for this deployment; scored by the server. */
  cvssEnvironmentalVector: text(300).nullable().optional(),
});

const withScore = (patch: z.infer<typeof PatchSchema>) => {
  const { cvssEnvironmentalVector, ...rest } = patch;
  if (cvssEnvironmentalVector === undefined) {
    return rest;
  }
  if (cvssEnvironmentalVector === null) {
    return { ...rest, cvssEnvironmental: null };
  }
  const scored = scoreCvss(cvssEnvironmentalVector);
  return {
    ...rest,
    cvssEnvironmental: { vector: scored.vector, score: scored.environmentalScore ?? scored.score },
  };
};

export const registerFindingRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/findings', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'Findings (vulnerability × component × release): filter by release, product, state, KEV, overdue',
      querystring: z.object({
        releaseId: z.uuid().optional(),
        productId: z.uuid().optional(),
        vulnerabilityId: text(100).optional(),
        state: z.enum(VEX_STATES).optional(),
        overdue: bool,
        kev: bool,
        includeRetracted: bool,
      }),
      response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) },
    },
    handler: async (request) => ({
      items: await listFindings(request.ctx, {
        ...request.query,
        overdue: request.query.overdue === 'true',
        kev: request.query.kev === 'true',
        includeRetracted: request.query.includeRetracted === 'true',
      }),
    }),
  });
  app.patch('/api/v1/findings/:id', {
    config: { security: { access: 'vulnerabilities:triage' } },
    schema: {
      tags,
      summary:
        'Triage one finding: VEX state and justification, remediation, patient-safety impact, environmental CVSS',
      params: IdParamsSchema,
      body: PatchSchema.extend({
        version: z.number().int().min(1).optional(),
        /** Why: kept in the history row when the state, justification or remediation changes. */
        note: FindingChangeNoteSchema.optional(),
      }),
      response: { 200: z.record(z.string(), z.unknown()) },
    },
    handler: async (request) => {
      const { version, note, ...patch } = request.body;
      return updateFinding(request.ctx, request.params.id, { ...withScore(patch), version, note });
    },
  });
  app.get('/api/v1/findings/:id/history', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'State history of one finding: each change of VEX state, justification or remediation, retraction (SBOM superseded, CSAF match dismissed) and confirmation, with who, when and why',
      params: IdParamsSchema,
      response: { 200: FindingHistorySchema },
    },
    handler: async (request) => getFindingHistory(request.ctx, request.params.id),
  });
  app.post('/api/v1/vulnerabilities/:id/decision', {
    config: { security: { access: 'vulnerabilities:triage' } },
    schema: {
      tags,
      summary:
        'Apply one decision to every finding of a vulnerability across releases and products (preview=true lists what it touches)',
      params: z.strictObject({ id: text(100).min(3) }),
      body: z.strictObject({
        productIds: z.array(z.uuid()).max(500).nullable().default(null),
        preview: z.boolean().default(true),
        set: PatchSchema,
        /** Why: kept in the history row of each finding the decision changes. */
        note: FindingChangeNoteSchema.optional(),
      }),
      response: {
        200: z.object({ touched: z.array(z.record(z.string(), z.unknown())), applied: z.boolean() }),
      },
    },
    handler: async (request) =>
      decideVulnerability(request.ctx, {
        vulnerabilityId: request.params.id,
        productIds: request.body.productIds,
        preview: request.body.preview,
        patch: withScore(request.body.set),
        note: request.body.note,
      }),
  });
  app.get('/api/v1/deadline-policy', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary: 'Days to communicate and to fix, per severity (defaults 30 / 60 from the guideline reference)',
      response: { 200: z.record(z.string(), z.object({ communicateDays: z.number(), fixDays: z.number() })) },
    },
    handler: async (request) => getDeadlinePolicy(request.ctx),
  });
  app.put('/api/v1/deadline-policy', {
    config: { security: { access: 'vulnerabilities:triage' } },
    schema: {
      tags,
      summary: "Set the organization's own deadlines per severity (audited)",
      body: z.partialRecord(
        z.enum(SEVERITIES),
        z.strictObject({
          communicateDays: z.number().int().min(0).max(3650),
          fixDays: z.number().int().min(0).max(3650),
        }),
      ),
      response: { 200: z.record(z.string(), z.object({ communicateDays: z.number(), fixDays: z.number() })) },
    },
    handler: async (request) => setDeadlinePolicy(request.ctx, request.body),
  });
  app.get('/api/v1/releases/:id/findings/export', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'Export the findings of a release as JSON, CSV, OpenVEX 0.2.0, CycloneDX 1.6 VEX, the 취약점 대응 관리 대장 ledger (XLSX) or the 취약점 조치 결과서 remediation report (DOCX) (audited)',
      params: IdParamsSchema,
      querystring: z.object({
        format: z
          .enum(['json', 'csv', 'openvex', 'cyclonedx-vex', 'ledger-xlsx', 'remediation-docx'])
          .default('openvex'),
      }),
    },
    handler: async (request, reply) => {
      const release = await requireRelease(request.ctx, request.ctx.db, request.params.id);
      const product = await getProduct(request.ctx, release.product_id);
      const findings = await listFindings(request.ctx, { releaseId: release.id });
      const meta = {
        author: product.manufacturer,
        product: `${product.name} ${product.model}`,
        version: release.version,
        timestamp: request.ctx.clock.now().toISOString(),
      };
      await withTx(request.ctx, (tx) =>
        recordAudit(request.ctx, tx, {
          action: 'findings.exported',
          targetType: 'release',
          targetId: release.id,
          details: {
            format: request.query.format,
            findings: findings.length,
            organization: orgOf(request.ctx),
          },
        }),
      );
      const name = `findings-${product.model}-${release.version}`.replace(/[^A-Za-z0-9._-]+/g, '_');
      if (request.query.format === 'remediation-docx') {
        const report = await buildRemediationReport(request.ctx, release.id);
        return reply
          .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
          .header('content-disposition', `attachment; filename="${name}-remediation.docx"`)
          .send(await remediationReportDocx(report));
      }
      if (request.query.format === 'ledger-xlsx') {
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${name}-ledger.xlsx"`)
          .send(
            await findingsLedgerXlsx(findings, {
              product: meta.product,
              version: meta.version,
              generatedAt: request.ctx.clock.now(),
            }),
          );
      }
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(findingsCsv(findings));
      }
      const doc =
        request.query.format === 'openvex'
          ? buildOpenVex(findings, meta)
          : request.query.format === 'cyclonedx-vex'
            ? buildCycloneDxVex(findings, meta)
            : findings;
      if (request.query.format === 'openvex' && !validateOpenVex(doc).valid) {
        throw new Error(`OpenVEX output failed its schema: ${validateOpenVex(doc).errors.join('; ')}`);
      }
      return reply
        .type('application/json; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${name}.${request.query.format === 'json' ? 'json' : `${request.query.format}.json`}"`,
        )
        .send(JSON.stringify(doc, null, 2));
    },
  });
  app.get('/api/v1/products/:id/csaf', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'CSAF 2.0 security advisory for one vulnerability of the product, from its findings per release; validated (BSI csaf-validator-lib: strict schema + mandatory tests) before it is served',
      params: IdParamsSchema,
      querystring: z.object({ vulnerability: text(100).min(3) }),
    },
    handler: async (request, reply) => {
      const { doc, validation, trackingId } = await exportCsaf(request.ctx, {
        productId: request.params.id,
        vulnerabilityId: request.query.vulnerability,
      });
      if (!validation.isValid) {
        throw new Error(`CSAF output failed validation: ${JSON.stringify(validation.errors.slice(0, 5))}`);
      }
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${trackingId.toLowerCase()}.json"`)
        .send(JSON.stringify(doc, null, 2));
    },
  });
};

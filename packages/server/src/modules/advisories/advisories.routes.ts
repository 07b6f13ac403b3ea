import { text } from '@medsec/core';
import { z } from 'zod';
import { orgOf, withTx } from '../../context.ts';
import type { RegisterRoutes } from '../../http/types.ts';
import { readUpload } from '../../http/upload.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { enqueueJob } from '../../platform/jobs/jobs.service.ts';
import { putBlob } from '../evidence/evidence.service.ts';
import { vulnerabilityIdOf } from './advisories.sql.ts';

const tags = ['advisories'];

export const registerAdvisoryRoutes: RegisterRoutes = (app) => {
  app.post('/api/v1/advisories/import', {
    config: { security: { access: 'vulnerabilities:triage' } },
    schema: {
      tags,
      summary:
        'Import an advisory file offline (multipart: source=osv|nvd|csaf|kev|epss, then the file: OSV JSON, OSV zip, .jsonl.gz; NVD CVE API 2.0 JSON; KEV JSON/CSV; EPSS CSV); runs as a job with progress',
      consumes: ['multipart/form-data'],
      response: { 202: z.object({ jobId: z.uuid() }) },
    },
    handler: async (request, reply) => {
      const upload = await readUpload(request);
      const source = z.enum(['osv', 'nvd', 'csaf', 'kev', 'epss']).parse(upload.fields.source ?? 'osv');
      const jobId = await withTx(request.ctx, async (tx) => {
        const sha256 = await putBlob(request.ctx, tx, upload.bytes);
        await recordAudit(request.ctx, tx, {
          action: 'advisories.import_requested',
          details: { source, fileName: upload.fileName, sha256, size: upload.bytes.length },
        });
        return enqueueJob(request.ctx, tx, {
          type: 'advisories.import',
          organizationId: orgOf(request.ctx),
          payload: { source, sha256, fileName: upload.fileName, organizationId: orgOf(request.ctx) },
          maxAttempts: 1,
        });
      });
      return reply.status(202).send({ jobId });
    },
  });
  app.get('/api/v1/vulnerabilities/:id', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary: 'One vulnerability (by its id or any alias) with CVSS, KEV, EPSS and its advisories',
      params: z.strictObject({ id: text(100).min(3) }),
      response: { 200: z.record(z.string(), z.unknown()) },
    },
    handler: async (request) => {
      const [v] = await request.ctx.db.query<Record<string, unknown>>(
        `SELECT * FROM vulnerabilities WHERE id = ${vulnerabilityIdOf('$1')}`,
        [request.params.id],
      );
      if (!v) {
        const { AppError, ErrorCode } = await import('@medsec/core');
        throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such vulnerability / 없는 취약점입니다' });
      }
      const advisories = await request.ctx.db.query<{
        id: string;
        source: string;
        modified: Date | null;
        withdrawn_at: Date | null;
      }>(
        'SELECT id, source, modified, withdrawn_at FROM advisories WHERE vulnerability_id = $1 ORDER BY id',
        [v.id],
      );
      return { ...v, advisories };
    },
  });
};

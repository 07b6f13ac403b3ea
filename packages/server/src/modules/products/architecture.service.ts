import type { ArchitectureElementInputSchema, DataFlowInputSchema } from '@medsec/core';
import { AppError, ErrorCode, uuidv7 } from '@medsec/core';
import type { z } from 'zod';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { requireRelease } from './products.service.ts';

/**
 * Architecture inventory of a release: hardware, software, third-party and cloud components, interfaces and ports
 * with the reason each is needed (MFDS 2025 art. 11 asks for this list in the user manual), data stores and data
 * flows. Threat models (a later module) are built on these rows.
 */
type ElementInput = z.infer<typeof ArchitectureElementInputSchema>;
type FlowInput = z.infer<typeof DataFlowInputSchema>;

interface ElementRow {
  id: string;
  release_id: string;
  kind: ElementInput['kind'];
  name: string;
  description: string;
  interface: ElementInput['interface'];
  port_protocol: string | null;
  purpose: string;
  personal_data: boolean;
  parent_id: string | null;
}
interface FlowRow {
  id: string;
  release_id: string;
  from_id: string;
  to_id: string;
  name: string;
  protocol: string;
  personal_data: boolean;
  encrypted: boolean;
  crosses_trust_boundary: boolean;
}

const toElement = (r: ElementRow) => ({
  id: r.id,
  releaseId: r.release_id,
  kind: r.kind,
  name: r.name,
  description: r.description,
  interface: r.interface,
  portProtocol: r.port_protocol,
  purpose: r.purpose,
  personalData: r.personal_data,
  parentId: r.parent_id,
});
const toFlow = (r: FlowRow) => ({
  id: r.id,
  releaseId: r.release_id,
  fromId: r.from_id,
  toId: r.to_id,
  name: r.name,
  protocol: r.protocol,
  personalData: r.personal_data,
  encrypted: r.encrypted,
  crossesTrustBoundary: r.crosses_trust_boundary,
});

export const getArchitecture = async (ctx: Ctx, releaseId: string) => {
  await requireRelease(ctx, ctx.db, releaseId);
  const [elements, flows] = await Promise.all([
    ctx.db.query<ElementRow>(
      'SELECT * FROM architecture_elements WHERE organization_id = $1 AND release_id = $2 ORDER BY kind, name, id',
      [orgOf(ctx), releaseId],
    ),
    ctx.db.query<FlowRow>(
      'SELECT * FROM data_flows WHERE organization_id = $1 AND release_id = $2 ORDER BY name, id',
      [orgOf(ctx), releaseId],
    ),
  ]);
  return { elements: elements.map(toElement), flows: flows.map(toFlow) };
};

const requireElements = async (ctx: Ctx, tx: Queryable, releaseId: string, ids: (string | null)[]) => {
  const wanted = [...new Set(ids.filter((i): i is string => i !== null))];
  if (!wanted.length) {
    return;
  }
  const found = await tx.query<{ id: string }>(
    'SELECT id FROM architecture_elements WHERE organization_id = $1 AND release_id = $2 AND id = ANY ($3)',
    [orgOf(ctx), releaseId, wanted],
  );
  if (found.length !== wanted.length) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: 'Referenced elements must belong to the same release / 같은 릴리스의 요소여야 합니다',
    });
  }
};

export const addElement = (ctx: Ctx, releaseId: string, input: ElementInput) =>
  withTx(ctx, async (tx) => {
    await requireRelease(ctx, tx, releaseId);
    await requireElements(ctx, tx, releaseId, [input.parentId]);
    const now = ctx.clock.now();
    const id = uuidv7(now.getTime());
    const [row] = await tx.query<ElementRow>(
      `INSERT INTO architecture_elements (id, organization_id, release_id, kind, name, description, interface, port_protocol,
         purpose, personal_data, parent_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING *`,
      [
        id,
        orgOf(ctx),
        releaseId,
        input.kind,
        input.name,
        input.description,
        input.interface,
        input.portProtocol,
        input.purpose,
        input.personalData,
        input.parentId,
        now,
      ],
    );
    await recordAudit(ctx, tx, {
      action: 'architecture.element_added',
      targetType: 'release',
      targetId: releaseId,
      details: { id, kind: input.kind, name: input.name },
    });
    return toElement(row!);
  });

export const removeElement = (ctx: Ctx, elementId: string) =>
  withTx(ctx, async (tx) => {
    const [row] = await tx.query<ElementRow>(
      'SELECT * FROM architecture_elements WHERE organization_id = $1 AND id = $2 FOR UPDATE',
      [orgOf(ctx), elementId],
    );
    if (!row) {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such element / 없는 요소입니다' });
    }
    const [used] = await tx.query(
      `SELECT 1 FROM data_flows WHERE from_id = $1 OR to_id = $1
       UNION ALL SELECT 1 FROM architecture_elements WHERE parent_id = $1 LIMIT 1`,
      [elementId],
    );
    if (used) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail:
          'Remove the flows and child elements that use it first / 연결된 흐름과 하위 요소를 먼저 삭제하세요',
      });
    }
    await tx.query('DELETE FROM architecture_elements WHERE id = $1', [elementId]);
    await recordAudit(ctx, tx, {
      action: 'architecture.element_removed',
      targetType: 'release',
      targetId: row.release_id,
      details: { id: elementId, name: row.name },
    });
  });

export const addFlow = (ctx: Ctx, releaseId: string, input: FlowInput) =>
  withTx(ctx, async (tx) => {
    await requireRelease(ctx, tx, releaseId);
    await requireElements(ctx, tx, releaseId, [input.fromId, input.toId]);
    const now = ctx.clock.now();
    const id = uuidv7(now.getTime());
    const [row] = await tx.query<FlowRow>(
      `INSERT INTO data_flows (id, organization_id, release_id, from_id, to_id, name, protocol, personal_data, encrypted,
         crosses_trust_boundary, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        id,
        orgOf(ctx),
        releaseId,
        input.fromId,
        input.toId,
        input.name,
        input.protocol,
        input.personalData,
        input.encrypted,
        input.crossesTrustBoundary,
        now,
      ],
    );
    await recordAudit(ctx, tx, {
      action: 'architecture.flow_added',
      targetType: 'release',
      targetId: releaseId,
      details: { id, name: input.name },
    });
    return toFlow(row!);
  });

export const removeFlow = (ctx: Ctx, flowId: string) =>
  withTx(ctx, async (tx) => {
    const [row] = await tx.query<FlowRow>('SELECT * FROM data_flows WHERE organization_id = $1 AND id = $2', [
      orgOf(ctx),
      flowId,
    ]);
    if (!row) {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such data flow / 없는 데이터 흐름입니다' });
    }
    await tx.query('DELETE FROM data_flows WHERE id = $1', [flowId]);
    await recordAudit(ctx, tx, {
      action: 'architecture.flow_removed',
      targetType: 'release',
      targetId: row.release_id,
      details: { id: flowId, name: row.name },
    });
  });

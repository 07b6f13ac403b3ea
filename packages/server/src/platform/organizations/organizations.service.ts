import { AppError, ErrorCode, type MfaPolicy, type Organization, uuidv7 } from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { insertMembership } from '../users/users.repository.ts';

interface OrgRow {
  id: string;
  name: string;
  mfa_policy: MfaPolicy;
  created_at: Date;
  updated_at: Date;
}

const toOrg = (r: OrgRow): Organization => ({
  id: r.id,
  name: r.name,
  mfaPolicy: r.mfa_policy,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export const getCurrentOrganization = async (ctx: Ctx): Promise<Organization> => {
  const [row] = await ctx.db.query<OrgRow>('SELECT * FROM organizations WHERE id = $1', [orgOf(ctx)]);
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND);
  }
  return toOrg(row);
};

/** Settings of the actor's organization: name and MFA policy (optional, admins, all). */
export const updateCurrentOrganization = async (
  ctx: Ctx,
  input: { name?: string | undefined; mfaPolicy?: MfaPolicy | undefined },
): Promise<Organization> => {
  await withTx(ctx, async (tx) => {
    const [before] = await tx.query<OrgRow>('SELECT * FROM organizations WHERE id = $1 FOR UPDATE', [
      orgOf(ctx),
    ]);
    if (!before) {
      throw new AppError(ErrorCode.NOT_FOUND);
    }
    const next = { name: input.name ?? before.name, mfa_policy: input.mfaPolicy ?? before.mfa_policy };
    await tx.query('UPDATE organizations SET name = $2, mfa_policy = $3, updated_at = $4 WHERE id = $1', [
      before.id,
      next.name,
      next.mfa_policy,
      ctx.clock.now(),
    ]);
    await recordAudit(ctx, tx, {
      action: 'organization.updated',
      targetType: 'organization',
      targetId: before.id,
      details: {
        before: { name: before.name, mfaPolicy: before.mfa_policy },
        after: { name: next.name, mfaPolicy: next.mfa_policy },
      },
    });
  });
  return getCurrentOrganization(ctx);
};

/** A consultant's second client: the creator becomes its administrator. */
export const createOrganization = async (ctx: Ctx, name: string): Promise<Organization> => {
  const now = ctx.clock.now();
  const id = uuidv7(now.getTime());
  await withTx(ctx, async (tx) => {
    await tx.query(
      'INSERT INTO organizations (id, name, mfa_policy, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)',
      [id, name, 'admins', now],
    );
    await insertMembership(tx, {
      organizationId: id,
      userId: ctx.actor.userId!,
      role: 'admin',
      validUntil: null,
      now,
    });
    await recordAudit(ctx, tx, {
      action: 'organization.created',
      targetType: 'organization',
      targetId: id,
      organizationId: id,
      details: { name },
    });
  });
  const [row] = await ctx.db.query<OrgRow>('SELECT * FROM organizations WHERE id = $1', [id]);
  return toOrg(row!);
};

import { type Role, uuidv7 } from '@medsec/core';
import type { Queryable } from '../../db/client.ts';

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  password_changed_at: Date;
  mfa_enabled: boolean;
  mfa_secret_enc: string | null;
  mfa_pending_secret_enc: string | null;
  mfa_last_time_step: number | null;
  failed_attempts: number;
  locked_until: Date | null;
  last_login_at: Date | null;
  locale: 'ko' | 'en';
  created_at: Date;
  updated_at: Date;
}

export interface MembershipRow {
  organization_id: string;
  user_id: string;
  role: Role;
  status: 'active' | 'disabled';
  valid_until: Date | null;
  created_at: Date;
  updated_at: Date;
  organization_name: string;
  mfa_policy: 'optional' | 'admins' | 'all';
}

export const findUserByEmail = async (q: Queryable, email: string): Promise<UserRow | undefined> =>
  (await q.query<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1)', [email]))[0];

export const findUserById = async (
  q: Queryable,
  id: string,
  forUpdate = false,
): Promise<UserRow | undefined> =>
  (await q.query<UserRow>(`SELECT * FROM users WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]))[0];

export const countUsers = async (q: Queryable): Promise<number> =>
  (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]?.n ?? 0;

export const listMembershipsOfUser = (q: Queryable, userId: string): Promise<MembershipRow[]> =>
  q.query<MembershipRow>(
    `SELECT m.*, o.name AS organization_name, o.mfa_policy
       FROM memberships m JOIN organizations o ON o.id = m.organization_id
      WHERE m.user_id = $1 ORDER BY m.created_at, o.name`,
    [userId],
  );

export const findMembership = async (
  q: Queryable,
  organizationId: string,
  userId: string,
): Promise<MembershipRow | undefined> =>
  (
    await q.query<MembershipRow>(
      `SELECT m.*, o.name AS organization_name, o.mfa_policy
         FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.organization_id = $1 AND m.user_id = $2`,
      [organizationId, userId],
    )
  )[0];

/** Active and within its validity date (accounts past their validity date cannot sign in). */
export const isMembershipUsable = (m: Pick<MembershipRow, 'status' | 'valid_until'>, now: Date): boolean =>
  m.status === 'active' && (m.valid_until === null || m.valid_until.getTime() > now.getTime());

export const insertUser = async (
  q: Queryable,
  u: { id: string; email: string; displayName: string; passwordHash: string; now: Date },
): Promise<void> => {
  await q.query(
    `INSERT INTO users (id, email, display_name, password_hash, password_changed_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $5, $5)`,
    [u.id, u.email, u.displayName, u.passwordHash, u.now],
  );
  await q.query(
    'INSERT INTO password_history (id, user_id, password_hash, created_at) VALUES ($1, $2, $3, $4)',
    [uuidv7(u.now.getTime()), u.id, u.passwordHash, u.now],
  );
};

export const insertMembership = async (
  q: Queryable,
  m: { organizationId: string; userId: string; role: Role; validUntil: Date | null; now: Date },
): Promise<void> => {
  await q.query(
    `INSERT INTO memberships (organization_id, user_id, role, status, valid_until, created_at, updated_at)
     VALUES ($1, $2, $3, 'active', $4, $5, $5)`,
    [m.organizationId, m.userId, m.role, m.validUntil, m.now],
  );
};

export const countActiveAdmins = async (q: Queryable, organizationId: string): Promise<number> =>
  (
    await q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM memberships
        WHERE organization_id = $1 AND role = 'admin' AND status = 'active' AND (valid_until IS NULL OR valid_until > now())`,
      [organizationId],
    )
  )[0]?.n ?? 0;

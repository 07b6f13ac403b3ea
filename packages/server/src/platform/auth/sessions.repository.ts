import type { SessionState } from '@medsec/core';
import type { Queryable } from '../../db/client.ts';

export interface SessionRow {
  id: string;
  token_hash: string;
  user_id: string;
  organization_id: string;
  state: SessionState;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  absolute_expires_at: Date;
  reauth_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export const findSessionByTokenHash = async (
  q: Queryable,
  tokenHash: string,
): Promise<SessionRow | undefined> =>
  (await q.query<SessionRow>('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash]))[0];

export const insertSession = async (
  q: Queryable,
  s: Omit<SessionRow, 'revoked_at' | 'revoked_reason' | 'reauth_at'>,
): Promise<void> => {
  await q.query(
    `INSERT INTO sessions (id, token_hash, user_id, organization_id, state, csrf_token, created_at, last_seen_at,
       absolute_expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      s.id,
      s.token_hash,
      s.user_id,
      s.organization_id,
      s.state,
      s.csrf_token,
      s.created_at,
      s.last_seen_at,
      s.absolute_expires_at,
      s.ip,
      s.user_agent,
    ],
  );
};

export const revokeSession = async (q: Queryable, id: string, reason: string, now: Date): Promise<void> => {
  await q.query(
    'UPDATE sessions SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL',
    [id, now, reason],
  );
};

/** Ends every live session of a user except `keepId`; returns how many ended. */
export const revokeOtherSessions = async (
  q: Queryable,
  userId: string,
  keepId: string | null,
  reason: string,
  now: Date,
): Promise<number> =>
  (
    await q.query<{ id: string }>(
      `UPDATE sessions SET revoked_at = $3, revoked_reason = $4
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid) RETURNING id`,
      [userId, keepId, now, reason],
    )
  ).length;

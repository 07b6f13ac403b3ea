import {
  type AuditEvent,
  type AuditOutcome,
  type AuditVerifyResult,
  type ListAuditEventsQuery,
  type Page,
  parseSort,
  uuidv7,
} from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Db, Queryable } from '../../db/client.ts';
import { escapeLike } from '../../db/sql.ts';
import { type ChainedFields, chainHash, GENESIS_HASH } from './audit.chain.ts';

/**
 * The tamper-evident audit log. `recordAudit` is called inside the transaction of the change it records,
 * so the event exists exactly when the change does. The chain head row is locked for the append, which
 * serialises writers and keeps `seq` gap-free.
 * MFDS 2025 art. 9 (security logs: who, when, what, outcome; protected from alteration);
 * KISA web-service and infrastructure requirements on audit records and their integrity.
 */
export interface AuditInput {
  action: string;
  outcome?: AuditOutcome;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
  /** Defaults to the actor's organization. */
  organizationId?: string | null;
}

interface AuditRow {
  seq: number;
  id: string;
  occurred_at: Date;
  organization_id: string | null;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: 'success' | 'failure';
  ip: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const fieldsOf = (r: AuditRow): ChainedFields => ({
  seq: r.seq,
  id: r.id,
  occurredAt: r.occurred_at.toISOString(),
  organizationId: r.organization_id,
  actorUserId: r.actor_user_id,
  actorLabel: r.actor_label,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  outcome: r.outcome,
  ip: r.ip,
  requestId: r.request_id,
  details: r.details,
});

export const recordAudit = async (ctx: Ctx, tx: Queryable, input: AuditInput): Promise<void> => {
  const [head] = await tx.query<{ last_seq: number; last_hash: string }>(
    'SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
  );
  if (!head) {
    throw new Error('audit chain head missing');
  }
  const now = ctx.clock.now();
  const fields: ChainedFields = {
    seq: head.last_seq + 1,
    id: uuidv7(now.getTime()),
    occurredAt: now.toISOString(),
    organizationId: input.organizationId === undefined ? ctx.actor.organizationId : input.organizationId,
    actorUserId: ctx.actor.userId,
    actorLabel: ctx.actor.label,
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    outcome: input.outcome ?? 'success',
    ip: ctx.ip,
    requestId: ctx.requestId,
    details: JSON.parse(JSON.stringify(input.details ?? {})) as unknown,
  };
  const hash = chainHash(head.last_hash, fields);
  await tx.query(
    `INSERT INTO audit_events (seq, id, occurred_at, organization_id, actor_user_id, actor_label, action, target_type,
       target_id, outcome, ip, request_id, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      fields.seq,
      fields.id,
      now,
      fields.organizationId,
      fields.actorUserId,
      fields.actorLabel,
      fields.action,
      fields.targetType,
      fields.targetId,
      fields.outcome,
      fields.ip,
      fields.requestId,
      JSON.stringify(fields.details),
      head.last_hash,
      hash,
    ],
  );
  await tx.query('UPDATE audit_chain_head SET last_seq = $1, last_hash = $2 WHERE id = 1', [
    fields.seq,
    hash,
  ]);
};

/** Records an event in a transaction of its own (failed logins, downloads: there is no other change). */
export const recordAuditAlone = (ctx: Ctx, input: AuditInput): Promise<void> =>
  withTx(ctx, (tx) => recordAudit(ctx, tx, input));

/**
 * Recomputes the chain from the first event. Reports the first event whose sequence, link or hash
 * does not hold: a modified event breaks its own hash, a deleted one breaks the sequence and the next
 * link, an inserted one breaks the sequence or a link, a removed tail no longer matches the head.
 */
export const verifyAuditChain = async (db: Db, batchSize = 5000): Promise<AuditVerifyResult> => {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  let lastSeq = 0;
  const broken = (row: AuditRow | null, problem: string): AuditVerifyResult => ({
    ok: false,
    events: count,
    firstBrokenEventId: row?.id ?? null,
    firstBrokenSeq: row?.seq ?? null,
    problem,
    lastHash: null,
  });
  for (;;) {
    const rows = await db.query<AuditRow>('SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2', [
      lastSeq,
      batchSize,
    ]);
    for (const row of rows) {
      count++;
      if (row.seq !== expectedSeq) {
        return broken(row, `sequence gap: expected ${expectedSeq}, found ${row.seq}`);
      }
      if (row.prev_hash !== prevHash) {
        return broken(row, 'link to the previous event does not match');
      }
      if (chainHash(prevHash, fieldsOf(row)) !== row.hash) {
        return broken(row, 'event content does not match its hash');
      }
      prevHash = row.hash;
      expectedSeq++;
      lastSeq = row.seq;
    }
    if (rows.length < batchSize) {
      break;
    }
  }
  const [head] = await db.query<{ last_seq: number; last_hash: string }>(
    'SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1',
  );
  if (!head || head.last_seq !== lastSeq || head.last_hash !== prevHash) {
    return broken(
      null,
      `chain head (seq ${head?.last_seq}) does not match the last event (seq ${lastSeq}): events were removed`,
    );
  }
  return {
    ok: true,
    events: count,
    firstBrokenEventId: null,
    firstBrokenSeq: null,
    problem: null,
    lastHash: count > 0 ? prevHash : null,
  };
};

const toEvent = (r: AuditRow): AuditEvent => ({
  id: r.id,
  seq: r.seq,
  occurredAt: r.occurred_at.toISOString(),
  organizationId: r.organization_id,
  actorUserId: r.actor_user_id,
  actorLabel: r.actor_label,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  outcome: r.outcome,
  ip: r.ip,
  requestId: r.request_id,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const SORT_COLUMNS: Record<string, string> = { occurredAt: 'occurred_at', action: 'action', seq: 'seq' };

type AuditFilter = Omit<ListAuditEventsQuery, 'page' | 'pageSize'>;

const whereFor = (orgId: string, q: AuditFilter): { sql: string; params: unknown[] } => {
  const params: unknown[] = [orgId];
  const clauses = ['organization_id = $1'];
  const add = (clause: (n: number) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(params.length));
  };
  if (q.action) {
    add((n) => `action LIKE $${n} || '%'`, escapeLike(q.action));
  }
  if (q.actor) {
    add((n) => `actor_label ILIKE '%' || $${n} || '%'`, escapeLike(q.actor));
  }
  if (q.outcome) {
    add((n) => `outcome = $${n}`, q.outcome);
  }
  if (q.targetType) {
    add((n) => `target_type = $${n}`, q.targetType);
  }
  if (q.targetId) {
    add((n) => `target_id = $${n}`, q.targetId);
  }
  if (q.from) {
    add((n) => `occurred_at >= $${n}`, new Date(q.from));
  }
  if (q.to) {
    add((n) => `occurred_at < $${n}`, new Date(q.to));
  }
  return { sql: clauses.join(' AND '), params };
};

/** Lists the actor's organization's events; events of other organizations are never visible. */
export const listAuditEvents = async (ctx: Ctx, q: ListAuditEventsQuery): Promise<Page<AuditEvent>> => {
  const { sql, params } = whereFor(orgOf(ctx), q);
  const sort = parseSort(q.sort, { field: 'seq', desc: true });
  const column = SORT_COLUMNS[sort.field] ?? 'seq';
  const [countRow] = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events WHERE ${sql}`,
    params,
  );
  const rows = await ctx.db.query<AuditRow>(
    `SELECT * FROM audit_events WHERE ${sql} ORDER BY ${column} ${sort.desc ? 'DESC' : 'ASC'}, seq ${sort.desc ? 'DESC' : 'ASC'}
     LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.pageSize, (q.page - 1) * q.pageSize],
  );
  return { items: rows.map(toEvent), page: q.page, pageSize: q.pageSize, total: countRow?.n ?? 0 };
};

/** Streams every matching event in pages (exports); the export itself is audited by the caller. */
export async function* iterateAuditEvents(
  ctx: Ctx,
  q: AuditFilter,
  batchSize = 1000,
): AsyncGenerator<AuditEvent> {
  const { sql, params } = whereFor(orgOf(ctx), q);
  let after = 0;
  for (;;) {
    const rows = await ctx.db.query<AuditRow>(
      `SELECT * FROM audit_events WHERE ${sql} AND seq > $${params.length + 1} ORDER BY seq LIMIT $${params.length + 2}`,
      [...params, after, batchSize],
    );
    for (const r of rows) {
      yield toEvent(r);
    }
    if (rows.length < batchSize) {
      return;
    }
    after = rows[rows.length - 1]!.seq;
  }
}

const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'actorLabel',
  'action',
  'outcome',
  'targetType',
  'targetId',
  'ip',
  'requestId',
  'details',
  'hash',
] as const;

/** CSV cell: quoted, and cells that a spreadsheet would run as a formula are prefixed with `'`. */
export const csvCell = (value: unknown): string => {
  let s =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) {
    s = `'${s}`;
  }
  return `"${s.replace(/"/g, '""')}"`;
};

export const auditCsvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;
export const auditCsvRow = (e: AuditEvent): string =>
  `${CSV_COLUMNS.map((c) => csvCell(e[c])).join(',')}\r\n`;

import {
  AppError,
  type ApplicabilityDecision,
  type ApplicabilityEntry,
  ErrorCode,
  evaluateApplicability,
  type ProductProfile,
  ProductProfileSchema,
} from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { syncReleaseItems } from '../compliance/compliance.service.ts';

/**
 * Which catalog requirements apply to a product: decided by the rules in core from the product profile, each with
 * its reason and the clause it rests on; a person may override a decision with a justification and a reference
 * (e.g. the risk-file document number). Overrides survive re-evaluation and are shown as such.
 */
export interface ApplicabilityChange {
  ref: string;
  from: boolean | null;
  to: boolean;
  reasonEn: string;
  reasonKo: string;
}

interface DecisionRow {
  requirement_ref: string;
  applicable: boolean;
  rule_id: string;
  basis: string;
  reason_en: string;
  reason_ko: string;
  override_applicable: boolean | null;
  override_justification: string | null;
  override_reference: string | null;
  overridden_by: string | null;
  overridden_at: Date | null;
}

const effective = (r: Pick<DecisionRow, 'applicable' | 'override_applicable'>): boolean =>
  r.override_applicable ?? r.applicable;

/** Built-in framework entries the rules speak for, plus the organization's own frameworks' entries. */
const catalogEntries = async (ctx: Ctx, q: Queryable): Promise<ApplicabilityEntry[]> =>
  (
    await q.query<{
      ref: string;
      framework_id: string;
      kind: string;
      article: number | null;
      clause: number | null;
      item: number | null;
      group_key: string | null;
      parent_ref: string | null;
    }>(
      `SELECT r.ref, r.framework_id, r.kind, r.article, r.clause, r.item, r.group_key, r.parent_ref
         FROM catalog_requirements r JOIN catalog_frameworks f ON f.id = r.framework_id
        WHERE (f.organization_id IS NULL OR f.organization_id = $1) AND r.retired_at IS NULL
        ORDER BY r.framework_id, r.sort_key`,
      [orgOf(ctx)],
    )
  ).map((r) => ({
    ref: r.ref,
    framework: r.framework_id,
    kind: r.kind,
    article: r.article,
    clause: r.clause,
    item: r.item,
    group: r.group_key,
    parentRef: r.parent_ref,
  }));

const ORG_KINDS = new Set(['requirement', 'clause', 'item', 'article']);

/** Rule decisions, and for an organization's own frameworks: applicable by default (a person narrows them). */
const decide = (profile: ProductProfile, entries: ApplicabilityEntry[]): ApplicabilityDecision[] => {
  const decisions = evaluateApplicability(profile, entries);
  const decided = new Set(decisions.map((d) => d.ref));
  for (const e of entries) {
    if (
      !decided.has(e.ref) &&
      !['mfds-2025', 'kisa-healthcare'].includes(e.framework) &&
      ORG_KINDS.has(e.kind)
    ) {
      decisions.push({
        ref: e.ref,
        applicable: true,
        ruleId: 'organization-framework',
        basis: e.ref,
        reasonEn: "The organization's own framework applies to every product unless a person overrides it",
        reasonKo: '조직 자체 프레임워크는 재정의하지 않는 한 모든 제품에 적용됩니다',
      });
    }
  }
  return decisions;
};

const currentDecisions = async (
  ctx: Ctx,
  q: Queryable,
  productId: string,
): Promise<Map<string, DecisionRow>> =>
  new Map(
    (
      await q.query<DecisionRow>(
        'SELECT * FROM applicability_decisions WHERE organization_id = $1 AND product_id = $2',
        [orgOf(ctx), productId],
      )
    ).map((r) => [r.requirement_ref, r]),
  );

const changesOf = (
  before: Map<string, DecisionRow>,
  decisions: ApplicabilityDecision[],
): ApplicabilityChange[] => {
  const out: ApplicabilityChange[] = [];
  for (const d of decisions) {
    const old = before.get(d.ref);
    const to = old?.override_applicable ?? d.applicable;
    const from = old ? effective(old) : null;
    if (from !== to) {
      out.push({ ref: d.ref, from, to, reasonEn: d.reasonEn, reasonKo: d.reasonKo });
    }
  }
  return out;
};

/** What a profile would change, without changing anything (the review screen before saving). */
export const previewApplicability = async (
  ctx: Ctx,
  productId: string,
  profile: ProductProfile,
): Promise<ApplicabilityChange[]> => {
  await requireProductId(ctx, ctx.db, productId);
  const decisions = decide(ProductProfileSchema.parse(profile), await catalogEntries(ctx, ctx.db));
  return changesOf(await currentDecisions(ctx, ctx.db, productId), decisions);
};

const requireProductId = async (ctx: Ctx, q: Queryable, productId: string) => {
  const [row] = await q.query('SELECT 1 FROM products WHERE organization_id = $1 AND id = $2', [
    orgOf(ctx),
    productId,
  ]);
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such product / 없는 제품입니다' });
  }
};

/**
 * Re-evaluates and stores the decisions (overrides kept), then gives every open release an item for each
 * newly applicable requirement. Returns what changed (from null for a first evaluation).
 */
export const applyApplicability = async (
  ctx: Ctx,
  tx: Queryable,
  productId: string,
  profile: ProductProfile,
): Promise<ApplicabilityChange[]> => {
  const decisions = decide(profile, await catalogEntries(ctx, tx));
  const before = await currentDecisions(ctx, tx, productId);
  const changes = changesOf(before, decisions);
  const now = ctx.clock.now();
  const seen = new Set<string>();
  for (const d of decisions) {
    seen.add(d.ref);
    const old = before.get(d.ref);
    if (
      old &&
      old.applicable === d.applicable &&
      old.rule_id === d.ruleId &&
      old.reason_en === d.reasonEn &&
      old.reason_ko === d.reasonKo &&
      old.basis === d.basis
    ) {
      continue;
    }
    await tx.query(
      `INSERT INTO applicability_decisions (organization_id, product_id, requirement_ref, applicable, rule_id, basis,
         reason_en, reason_ko, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (product_id, requirement_ref) DO UPDATE SET applicable = EXCLUDED.applicable, rule_id = EXCLUDED.rule_id,
         basis = EXCLUDED.basis, reason_en = EXCLUDED.reason_en, reason_ko = EXCLUDED.reason_ko, updated_at = EXCLUDED.updated_at`,
      [orgOf(ctx), productId, d.ref, d.applicable, d.ruleId, d.basis, d.reasonEn, d.reasonKo, now],
    );
  }
  for (const ref of before.keys()) {
    if (!seen.has(ref)) {
      // The entry left the catalog (retired): keep the row for history, no longer applicable by rule.
      await tx.query(
        `UPDATE applicability_decisions SET applicable = false, rule_id = 'retired', reason_en = 'Retired from the catalog',
           reason_ko = '카탈로그에서 폐지됨', updated_at = $3 WHERE product_id = $1 AND requirement_ref = $2`,
        [productId, ref, now],
      );
    }
  }
  await syncReleaseItems(ctx, tx, productId);
  return changes;
};

export interface ApplicabilityView {
  ref: string;
  framework: string;
  kind: string;
  article: number | null;
  group: string | null;
  obligation: string;
  titleKo: string | null;
  titleEn: string | null;
  textKo: string;
  textEn: string | null;
  applicable: boolean;
  byRule: boolean;
  ruleId: string;
  basis: string;
  reasonEn: string;
  reasonKo: string;
  override: {
    applicable: boolean;
    justification: string;
    reference: string | null;
    by: string | null;
    at: string;
  } | null;
}

export const listApplicability = async (
  ctx: Ctx,
  productId: string,
  filter: { framework?: string; applicable?: boolean; overridden?: boolean },
): Promise<ApplicabilityView[]> => {
  await requireProductId(ctx, ctx.db, productId);
  const rows = await ctx.db.query<
    DecisionRow & {
      framework_id: string;
      kind: string;
      article: number | null;
      group_key: string | null;
      obligation: string;
      title_ko: string | null;
      title_en: string | null;
      text_ko: string;
      text_en: string | null;
    }
  >(
    `SELECT d.*, r.framework_id, r.kind, r.article, r.group_key, r.obligation, r.title_ko, r.title_en, r.text_ko, r.text_en
       FROM applicability_decisions d JOIN catalog_requirements r ON r.ref = d.requirement_ref
      WHERE d.organization_id = $1 AND d.product_id = $2 AND ($3::text IS NULL OR r.framework_id = $3)
      ORDER BY r.framework_id, r.sort_key`,
    [orgOf(ctx), productId, filter.framework ?? null],
  );
  return rows
    .map((r) => ({
      ref: r.requirement_ref,
      framework: r.framework_id,
      kind: r.kind,
      article: r.article,
      group: r.group_key,
      obligation: r.obligation,
      titleKo: r.title_ko,
      titleEn: r.title_en,
      textKo: r.text_ko,
      textEn: r.text_en,
      applicable: effective(r),
      byRule: r.override_applicable === null,
      ruleId: r.rule_id,
      basis: r.basis,
      reasonEn: r.reason_en,
      reasonKo: r.reason_ko,
      override:
        r.override_applicable === null
          ? null
          : {
              applicable: r.override_applicable,
              justification: r.override_justification ?? '',
              reference: r.override_reference,
              by: r.overridden_by,
              at: r.overridden_at!.toISOString(),
            },
    }))
    .filter(
      (v) =>
        (filter.applicable === undefined || v.applicable === filter.applicable) &&
        (filter.overridden === undefined || (v.override !== null) === filter.overridden),
    );
};

/** A person's decision over the rule's: needs a justification (and ideally a risk-file reference); audited. */
export const overrideApplicability = (
  ctx: Ctx,
  productId: string,
  ref: string,
  input: { applicable: boolean; justification: string; reference: string | null } | null,
): Promise<void> =>
  withTx(ctx, async (tx) => {
    await requireProductId(ctx, tx, productId);
    const [row] = await tx.query<DecisionRow>(
      'SELECT * FROM applicability_decisions WHERE organization_id = $1 AND product_id = $2 AND requirement_ref = $3 FOR UPDATE',
      [orgOf(ctx), productId, ref],
    );
    if (!row) {
      throw new AppError(ErrorCode.NOT_FOUND, {
        detail: `${ref} is not decided for this product / 이 제품에 대한 결정이 없습니다`,
      });
    }
    await tx.query(
      `UPDATE applicability_decisions SET override_applicable = $4, override_justification = $5, override_reference = $6,
         overridden_by = $7, overridden_at = $8, updated_at = $8
       WHERE organization_id = $1 AND product_id = $2 AND requirement_ref = $3`,
      [
        orgOf(ctx),
        productId,
        ref,
        input?.applicable ?? null,
        input?.justification ?? null,
        input?.reference ?? null,
        input ? ctx.actor.userId : null,
        ctx.clock.now(),
      ],
    );
    await recordAudit(ctx, tx, {
      action: input ? 'applicability.overridden' : 'applicability.override_cleared',
      targetType: 'product',
      targetId: productId,
      details: {
        ref,
        rule: row.applicable,
        from: effective(row),
        to: input ? input.applicable : row.applicable,
        justification: input?.justification ?? null,
        reference: input?.reference ?? null,
      },
    });
    await syncReleaseItems(ctx, tx, productId);
  });

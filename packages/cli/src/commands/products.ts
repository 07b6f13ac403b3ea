import { readFileSync } from 'node:fs';
import {
  APPLICABILITY_RULES,
  AppError,
  CreateProductSchema,
  ErrorCode,
  ProductProfileSchema,
} from '@medsec/core';
import {
  createProduct,
  createRelease,
  getProduct,
  listApplicability,
  listProducts,
  listReleases,
} from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print, table, UsageError } from '../output.ts';
import { configFrom, type GlobalOptions, withOrgRuntime } from '../runtime.ts';

const PROFILE_KEYS = new Set(Object.keys(ProductProfileSchema.shape));

/**
 * A product document: `{ name, model, manufacturer, profile: {...} }`, or the same with the profile fields at the
 * top level (what people write by hand). Unknown keys are refused by the schema with their paths.
 */
export const parseProductDocument = (raw: unknown) => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, { detail: 'The product document must be a JSON object' });
  }
  const doc = { ...(raw as Record<string, unknown>) };
  if (!('profile' in doc)) {
    const profile: Record<string, unknown> = {};
    for (const key of Object.keys(doc)) {
      if (PROFILE_KEYS.has(key)) {
        profile[key] = doc[key];
        delete doc[key];
      }
    }
    doc.profile = profile;
  }
  const parsed = CreateProductSchema.safeParse(doc);
  if (!parsed.success) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: 'The product document does not match the schema (docs/products.md)',
      errors: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
};

const readInput = (file: string | undefined): string => {
  if (file) {
    return readFileSync(file, 'utf8');
  }
  if (process.stdin.isTTY) {
    throw new UsageError('Give --file or pipe the JSON document on standard input');
  }
  return readFileSync(0, 'utf8');
};

/** `medsec products …`: the product registry and what applies to each product. */
export const registerProductCommands = (program: Command): void => {
  const products = program.command('products').description('Products, releases and applicability / 제품');

  products
    .command('list')
    .description('List products / 제품 목록')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (opts: { org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const items: Awaited<ReturnType<typeof listProducts>>['items'] = [];
        await withOrgRuntime(configFrom(global), opts.org, async (ctx) => {
          for (let page = 1; ; page++) {
            const res = await listProducts(ctx, { page, pageSize: 100 });
            items.push(...res.items);
            if (res.items.length < 100) {
              break;
            }
          }
        });
        print(out, items, () =>
          table(
            items.map((p) => ({ id: p.id, name: p.name, model: p.model, kind: p.profile.kind })),
            ['id', 'name', 'model', 'kind'],
          ),
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  products
    .command('create')
    .description('Create a product from a JSON document (stdin or --file); prints it with its id / 제품 등록')
    .option('--file <file>', 'read the document from this file instead of standard input')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (opts: { file?: string; org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        let raw: unknown;
        try {
          raw = JSON.parse(readInput(opts.file));
        } catch (cause) {
          if (cause instanceof UsageError) {
            throw cause;
          }
          throw new AppError(ErrorCode.VALIDATION_FAILED, {
            detail: `Not valid JSON: ${(cause as Error).message}`,
          });
        }
        const input = parseProductDocument(raw);
        const product = await withOrgRuntime(configFrom(global), opts.org, (ctx) =>
          createProduct(ctx, input),
        );
        print(out, product, () => `${product.id}  ${product.name} ${product.model} / 등록되었습니다`);
      } catch (error) {
        failWith(out, error);
      }
    });

  products
    .command('show <id>')
    .description('Show a product with its releases / 제품 상세')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (id: string, opts: { org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const result = await withOrgRuntime(configFrom(global), opts.org, async (ctx) => ({
          ...(await getProduct(ctx, id)),
          releases: await listReleases(ctx, id),
        }));
        print(out, result, () =>
          [
            `${result.name} ${result.model} (${result.profile.kind})  ${result.id}`,
            `Manufacturer / 제조사: ${result.manufacturer}`,
            `Domains / 서비스 영역: ${result.profile.domains.join(', ') || '—'}`,
            `Interfaces / 인터페이스: ${result.profile.interfaces.map((i) => i.kind).join(', ') || '—'}`,
            `Releases / 릴리스: ${result.releases.map((r) => `${r.version} (${r.status})`).join(', ') || '—'}`,
          ].join('\n'),
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  products
    .command('release <id> <version>')
    .description('Add a release (version) to a product / 릴리스 추가')
    .option('--based-on <version>', 'start from this earlier release (its assessment and architecture)')
    .option('--status <status>', 'in-development | released | end-of-support', 'in-development')
    .option('--date <yyyy-mm-dd>', 'release date')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(
      async (
        id: string,
        version: string,
        opts: { basedOn?: string; status: string; date?: string; org?: string },
        cmd: Command,
      ) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        const out = { json: Boolean(global.json) };
        try {
          if (!['in-development', 'released', 'end-of-support'].includes(opts.status)) {
            throw new UsageError('--status must be in-development, released or end-of-support');
          }
          const release = await withOrgRuntime(configFrom(global), opts.org, async (ctx) => {
            let basedOn: string | null = null;
            if (opts.basedOn) {
              const base = (await listReleases(ctx, id)).find((r) => r.version === opts.basedOn);
              if (!base) {
                throw new AppError(ErrorCode.NOT_FOUND, {
                  detail: `No release ${opts.basedOn} of this product`,
                });
              }
              basedOn = base.id;
            }
            return createRelease(ctx, id, {
              version,
              status: opts.status as 'in-development',
              releaseDate: opts.date ?? null,
              basedOn,
              notes: '',
            });
          });
          print(out, release, () => `${release.id}  ${release.version} (${release.status}) / 추가되었습니다`);
        } catch (error) {
          failWith(out, error);
        }
      },
    );

  products
    .command('rules')
    .description('The applicability rules: id, the clause each rests on, what it decides / 적용성 규칙')
    .action((_opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      const rules = APPLICABILITY_RULES.map((r) => ({
        id: r.id,
        basis: r.basis,
        targets: r.targets.map((t) =>
          'ref' in t
            ? t.ref
            : 'group' in t
              ? `${t.framework}#${t.group}`
              : `${t.framework}#${t.groupPrefix}*`,
        ),
        descriptionEn: r.descriptionEn,
        descriptionKo: r.descriptionKo,
      }));
      print(out, rules, () =>
        rules.map((r) => `${r.id}  (${r.basis})\n  ${r.descriptionEn}\n  ${r.descriptionKo}`).join('\n'),
      );
    });

  products
    .command('applicability <id>')
    .description('Every catalog requirement with whether it applies to the product and why / 적용성')
    .option('--framework <id>', 'only this framework')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (id: string, opts: { framework?: string; org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const items = await withOrgRuntime(configFrom(global), opts.org, (ctx) =>
          listApplicability(ctx, id, opts.framework ? { framework: opts.framework } : {}),
        );
        const rows = items.map((i) => ({
          ref: i.ref,
          applies: i.applicable,
          reason: i.override ? `Override: ${i.override.justification}` : i.reasonEn,
          reasonKo: i.override ? `재정의: ${i.override.justification}` : i.reasonKo,
          ruleId: i.ruleId,
          basis: i.basis,
          overridden: i.override !== null,
          obligation: i.obligation,
        }));
        print(out, rows, () =>
          table(
            rows.map((r) => ({ ref: r.ref, applies: r.applies ? 'Y' : 'N', reason: r.reason.slice(0, 80) })),
            ['ref', 'applies', 'reason'],
          ),
        );
      } catch (error) {
        failWith(out, error);
      }
    });
};

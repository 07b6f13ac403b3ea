import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError, ErrorCode, parseSbom, scoreCvss } from '@medsec/core';
import {
  assertSbomComponentCount,
  assertSbomSize,
  buildCycloneDxVex,
  buildOpenVex,
  checkSbomFileName,
  checkSbomSchema,
  createCsafAdvisory,
  exportCsaf,
  exportCsafVex,
  exportRemediationReport,
  findingsCsv,
  findStoredAdvisory,
  getCsafRevision,
  getProduct,
  importCsaf,
  importEpss,
  importKev,
  importNvd,
  importOsv,
  issueCsafAdvisory,
  listFindings,
  listReleases,
  matchCsafNamesOfSbom,
  matchSbom,
  uploadSbom,
  validateOpenVex,
} from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print, progressReporter, table, UsageError } from '../output.ts';
import { configFrom, type GlobalOptions, withOrgRuntime, withRuntime } from '../runtime.ts';

const SEVERITY_ORDER = ['none', 'low', 'medium', 'high', 'critical'] as const;

/** The release of a product by its version. @throws NOT_FOUND when the product has no such release */
export const releaseOf = async (
  ctx: Parameters<typeof listReleases>[0],
  productId: string,
  version: string,
): Promise<Awaited<ReturnType<typeof listReleases>>[number]> => {
  const release = (await listReleases(ctx, productId)).find((r) => r.version === version);
  if (!release) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: `No release ${version} of product ${productId}` });
  }
  return release;
};

/** What kind of advisory file this is, by content: KEV (JSON/CSV), EPSS (CSV) or OSV (anything else). */
const advisoryKind = (path: string): 'kev' | 'epss' | 'osv' | 'nvd' | 'csaf' => {
  if (statSync(path).isDirectory()) {
    // a directory is read as its first JSON file says: NVD API 2.0 responses or OSV records
    const first = readdirSync(path)
      .sort()
      .find((n) => n.endsWith('.json'));
    const kind = first ? advisoryKind(join(path, first)) : 'osv';
    return kind === 'nvd' || kind === 'csaf' ? kind : 'osv';
  }
  if (/\.(zip|jsonl|gz)$/i.test(path)) {
    return 'osv';
  }
  const head = readFileSync(path, 'utf8').slice(0, 4096);
  if (/"format"\s*:\s*"NVD_CVE"/.test(head)) {
    return 'nvd';
  }
  if (/"csaf_version"\s*:/.test(head)) {
    return 'csaf';
  }
  if (/"catalogVersion"\s*:/.test(head) || /^\uFEFF?"?cveID"?,/m.test(head)) {
    return 'kev';
  }
  if (/^(#model_version[^\n]*\n)?cve,epss/m.test(head)) {
    return 'epss';
  }
  return 'osv';
};

/** `medsec sbom …`, `medsec cvss score`, `medsec advisories import`, `medsec findings export`. */
export const registerVulnerabilityCommands = (program: Command): void => {
  const sbom = program.command('sbom').description('SBOMs: validate, upload / SBOM');

  sbom
    .command('validate <file>')
    .description(
      'Check an SBOM (format by content, structure, official JSON Schema or XSD, size and component limits); no database needed / SBOM 검증',
    )
    .option('--lenient', 'also say what a lenient import would keep (importable) and list what it would drop')
    .action(async (file: string, opts: { lenient?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const { sbomLimits } = configFrom(global); // MEDSEC_SBOM_MAX_BYTES / MEDSEC_SBOM_MAX_COMPONENTS
        let size: number;
        try {
          size = statSync(file).size;
        } catch {
          throw new AppError(ErrorCode.NOT_FOUND, { detail: `${file}: no such file / 파일이 없습니다` });
        }
        let text = '';
        let result: {
          format: string;
          specVersion: string;
          valid: boolean;
          components: number;
          errors: Record<string, unknown>[];
          warnings?: string[];
          importable?: boolean;
        };
        try {
          assertSbomSize(size, sbomLimits);
          text = readFileSync(file, 'utf8');
          const doc = parseSbom(text, { lenient: Boolean(opts.lenient) });
          assertSbomComponentCount(doc.components.length, sbomLimits);
          const v = await checkSbomSchema(text, doc);
          const misnamed = checkSbomFileName(basename(file), doc.metadata.sourceFormat);
          const errors: Record<string, unknown>[] = [
            ...doc.issues
              .filter((i) => i.severity === 'error')
              .map((i) => ({
                ...(i.line ? { line: i.line } : { path: i.pointer || '/' }),
                message: i.message,
              })),
            ...v.errors.map((e) => ({
              ...(e.line ? { line: e.line } : { path: e.pointer || '/' }),
              message: e.message,
            })),
          ];
          result = {
            format: doc.metadata.format,
            specVersion: doc.metadata.specVersion,
            valid: errors.length === 0,
            components: doc.components.length,
            errors,
            ...(misnamed ? { warnings: [misnamed] } : {}),
            ...(opts.lenient ? { importable: true } : {}),
          };
        } catch (error) {
          if (!(error instanceof AppError)) {
            throw error;
          }
          const where = error.errors?.[0]?.path;
          const line = where && /^line (\d+)/.exec(where)?.[1];
          result = {
            format:
              error.code === ErrorCode.UNSUPPORTED_FORMAT || !text
                ? 'unknown'
                : /spdx/i.test(text.slice(0, 2000))
                  ? 'spdx'
                  : 'cyclonedx',
            specVersion: '',
            valid: false,
            components: 0,
            errors: [
              {
                ...(line ? { line: Number(line) } : { path: where ?? '/' }),
                message: error.detail ?? error.code,
              },
            ],
            ...(opts.lenient ? { importable: false } : {}),
          };
        }
        print(out, result, () =>
          result.valid
            ? `${file}: valid ${result.format} ${result.specVersion}, ${result.components} components / 유효`
            : `${file}: INVALID / 유효하지 않음\n${result.errors.map((e) => `  ${e.line ? `line ${e.line}` : e.path}: ${e.message}`).join('\n')}`,
        );
        process.exitCode = result.valid ? 0 : 3;
      } catch (error) {
        failWith(out, error);
      }
    });

  sbom
    .command('upload <file>')
    .description('Upload an SBOM for a release, match it, summarise findings (for CI) / SBOM 업로드')
    .requiredOption('--product <id>', 'product id')
    .requiredOption('--release <version>', 'release version')
    .option(
      '--fail-on <severity>',
      'exit 5 when an open finding has this severity or higher (low|medium|high|critical)',
    )
    .option('--lenient', 'import what is sound and list what was dropped')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(
      async (
        file: string,
        opts: { product: string; release: string; failOn?: string; lenient?: boolean; org?: string },
        cmd: Command,
      ) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        const out = { json: Boolean(global.json) };
        try {
          const threshold = opts.failOn?.toLowerCase();
          if (threshold && !SEVERITY_ORDER.includes(threshold as (typeof SEVERITY_ORDER)[number])) {
            throw new UsageError('--fail-on must be low, medium, high or critical');
          }
          const summary = await withOrgRuntime(configFrom(global), opts.org, async (ctx) => {
            const release = await releaseOf(ctx, opts.product, opts.release);
            let bytes: Buffer;
            try {
              assertSbomSize(statSync(file).size, ctx.config.sbomLimits); // before reading a huge file
              bytes = readFileSync(file);
            } catch (error) {
              if (error instanceof AppError) {
                throw error;
              }
              throw new AppError(ErrorCode.NOT_FOUND, { detail: `${file}: no such file / 파일이 없습니다` });
            }
            const sbom = await uploadSbom(ctx, release.id, bytes, {
              lenient: Boolean(opts.lenient),
              fileName: basename(file),
            });
            // matched now (and vendor CSAF products known only by name put in the review queue); the queued job
            // re-runs both idempotently on the server
            await matchSbom(ctx, sbom.id);
            await matchCsafNamesOfSbom(ctx, sbom.id);
            const open = (await listFindings(ctx, { releaseId: release.id })).filter(
              (f) => f.state === 'under_investigation' || f.state === 'affected',
            );
            const bySeverity = Object.fromEntries(
              SEVERITY_ORDER.map((s) => [s, open.filter((f) => f.severity === s).length]),
            );
            return {
              sbomId: sbom.id,
              components: sbom.componentCount,
              findings: open.length,
              bySeverity,
              dropped: sbom.issues.length,
            };
          });
          print(
            out,
            summary,
            () =>
              `${summary.components} components, ${summary.findings} open findings / 구성요소 ${summary.components}, 미해결 취약점 ${summary.findings}\n${table([summary.bySeverity], [...SEVERITY_ORDER].reverse())}`,
          );
          if (threshold) {
            const at = SEVERITY_ORDER.indexOf(threshold as (typeof SEVERITY_ORDER)[number]);
            const hit = SEVERITY_ORDER.slice(at).some((s) => (summary.bySeverity[s] ?? 0) > 0);
            if (hit) {
              process.exitCode = 5;
            }
          }
        } catch (error) {
          failWith(out, error);
        }
      },
    );

  program
    .command('cvss')
    .description('CVSS calculator / CVSS 계산')
    .command('score <vector>')
    .description('Score a CVSS 2.0, 3.0, 3.1 or 4.0 vector (exit 3 when invalid) / 점수 계산')
    .action((vector: string, _opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const s = scoreCvss(vector);
        const result = {
          version: s.version,
          baseScore: s.baseScore,
          temporalScore: s.temporalScore,
          environmentalScore: s.environmentalScore,
          severity: s.severity,
          vector: s.vector,
        };
        print(out, result, () => `CVSS ${s.version}: ${s.score} (${s.severity}) base ${s.baseScore}`);
      } catch (error) {
        failWith(out, error);
      }
    });

  program
    .command('advisories')
    .description('Advisory data (OSV, CISA KEV, EPSS) / 취약점 정보')
    .command('import <paths...>')
    .description(
      'Import advisory files offline: OSV JSON, directories, OSV zips, .jsonl.gz; NVD CVE API 2.0 JSON; vendor CSAF 2.0; KEV JSON/CSV; EPSS CSV / 가져오기',
    )
    .action(async (paths: string[], _opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const totals = await withRuntime(configFrom(global), async (ctx) => {
          const sum = {
            imported: 0,
            updated: 0,
            unchanged: 0,
            withdrawn: 0,
            rejected: 0,
            flagged: 0,
            kev: 0,
            epss: 0,
            findingsCreated: 0,
            findingsRetracted: 0,
            errors: [] as { origin: string; message: string }[],
          };
          for (const path of paths) {
            try {
              statSync(path);
            } catch {
              throw new AppError(ErrorCode.NOT_FOUND, { detail: `${path}: no such file or directory` });
            }
            const kind = advisoryKind(path);
            if (kind === 'kev') {
              sum.kev += (await importKev(ctx, path)).read;
              continue;
            }
            if (kind === 'epss') {
              sum.epss += (await importEpss(ctx, path)).updated;
              continue;
            }
            if (kind === 'csaf') {
              const c = await importCsaf(ctx, path);
              sum.imported += c.created;
              sum.unchanged += c.unchanged;
              sum.rejected += c.refused;
              sum.findingsCreated += c.findings;
              continue;
            }
            if (kind === 'nvd') {
              const n = await importNvd(ctx, path);
              sum.imported += n.created;
              sum.updated += n.changed;
              sum.unchanged += n.unchanged;
              sum.rejected += n.refused;
              sum.findingsCreated += n.rematch.created;
              continue;
            }
            const bar = progressReporter(out, basename(path));
            // the total is unknown while streaming: the bar grows with the records read
            const c = await importOsv(ctx, path, (done, message) => bar.update(done, done, message));
            bar.stop();
            sum.imported += c.created;
            sum.updated += c.changed;
            sum.unchanged += c.unchanged;
            sum.withdrawn += c.withdrawn;
            sum.rejected += c.refused;
            sum.flagged += c.flagged;
            sum.findingsCreated += c.rematch?.created ?? 0;
            sum.findingsRetracted += c.rematch?.retracted ?? 0;
            sum.errors.push(...c.errors.slice(0, 20));
          }
          return sum;
        });
        print(
          out,
          totals,
          () =>
            `imported ${totals.imported}, updated ${totals.updated}, unchanged ${totals.unchanged}, withdrawn ${totals.withdrawn}, rejected ${totals.rejected}; KEV ${totals.kev}, EPSS ${totals.epss}; findings +${totals.findingsCreated} / -${totals.findingsRetracted}`,
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  const csaf = program
    .command('csaf')
    .description('CSAF 2.0 security advisories and VEX documents / CSAF 권고문');

  csaf
    .command('export')
    .description(
      'Write a CSAF 2.0 document: the latest issued revision of a stored advisory when there is one, else one built now from the findings; validated with the BSI validator / 내보내기',
    )
    .option(
      '--advisory <id>',
      "vulnerability id or alias (e.g. CVE-2024-21907, GHSA-5crp-9r3c-p9vr), or a stored advisory's tracking id or id; with --profile vex: optional, limits the VEX to one vulnerability",
    )
    .option('--product <id>', 'product id (default: the only product with findings of this vulnerability)')
    .option(
      '--profile <profile>',
      'advisory (csaf_security_advisory) | vex (csaf_vex of one release)',
      'advisory',
    )
    .option('--release <version>', 'release version (for --profile vex)')
    .option('--revision <n>', 'an earlier issued revision of a stored advisory')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(
      async (
        opts: {
          advisory?: string;
          product?: string;
          profile: string;
          release?: string;
          revision?: string;
          out?: string;
          org?: string;
        },
        cmd: Command,
      ) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        const out = { json: Boolean(global.json) };
        try {
          if (opts.profile !== 'advisory' && opts.profile !== 'vex') {
            throw new UsageError('--profile must be advisory or vex');
          }
          if (opts.profile === 'advisory' && !opts.advisory) {
            throw new UsageError("required option '--advisory <id>' not specified");
          }
          const revision = opts.revision === undefined ? 'latest' : Number(opts.revision);
          if (revision !== 'latest' && (!Number.isInteger(revision) || revision < 1)) {
            throw new UsageError('--revision must be a positive whole number');
          }
          const text = await withOrgRuntime(configFrom(global), opts.org, async (ctx) => {
            // a stored advisory named by its tracking id (or id): its issued revision, exactly as issued
            const named = opts.advisory
              ? await findStoredAdvisory(ctx, { idOrTrackingId: opts.advisory })
              : undefined;
            if (named) {
              return (await getCsafRevision(ctx, named.id, revision)).text;
            }
            if (opts.profile === 'vex') {
              if (!opts.product || !opts.release) {
                throw new UsageError(
                  '--profile vex needs --product and --release (or a stored VEX tracking id)',
                );
              }
              const release = await releaseOf(ctx, opts.product, opts.release);
              const stored = opts.advisory
                ? undefined
                : await findStoredAdvisory(ctx, { releaseId: release.id });
              if (stored && stored.currentRevision > 0) {
                return (await getCsafRevision(ctx, stored.id, revision)).text;
              }
              const vex = await exportCsafVex(ctx, { releaseId: release.id, vulnerabilityId: opts.advisory });
              if (!vex.validation.isValid) {
                throw new AppError(ErrorCode.INTERNAL, {
                  detail: `The CSAF VEX document failed validation: ${vex.validation.errors.map((e) => `${e.test} ${e.instancePath} ${e.message}`).join('; ')}`,
                });
              }
              return `${JSON.stringify(vex.doc, null, 2)}\n`;
            }
            const advisory = opts.advisory!;
            let productId = opts.product;
            if (!productId) {
              const products = [
                ...new Set((await listFindings(ctx, { vulnerabilityId: advisory })).map((f) => f.productId)),
              ];
              if (products.length !== 1) {
                throw products.length === 0
                  ? new AppError(ErrorCode.NOT_FOUND, {
                      detail: `No finding of ${advisory} / 해당 취약점이 없습니다`,
                    })
                  : new UsageError(`${products.length} products have ${advisory}: choose one with --product`);
              }
              productId = products[0]!;
            }
            // the product's stored advisory of this vulnerability, once issued, is what was published
            const stored = await findStoredAdvisory(ctx, { productId, vulnerabilityId: advisory });
            if (stored && stored.currentRevision > 0) {
              return (await getCsafRevision(ctx, stored.id, revision)).text;
            }
            const result = await exportCsaf(ctx, { productId, vulnerabilityId: advisory });
            if (!result.validation.isValid) {
              throw new AppError(ErrorCode.INTERNAL, {
                detail: `The CSAF document failed validation: ${result.validation.errors.map((e) => `${e.test} ${e.instancePath} ${e.message}`).join('; ')}`,
              });
            }
            return `${JSON.stringify(result.doc, null, 2)}\n`;
          });
          if (opts.out) {
            writeFileSync(opts.out, text);
          } else {
            process.stdout.write(text);
          }
        } catch (error) {
          failWith(out, error);
        }
      },
    );

  csaf
    .command('issue')
    .description(
      'Issue the next revision of a stored advisory from the current findings (created as a draft first when there is none); validated, stored with its SHA-256, audited / 발행',
    )
    .option('--advisory <id>', "vulnerability id or alias, or a stored advisory's tracking id or id")
    .option('--product <id>', 'product id (default: the only product with findings of this vulnerability)')
    .option('--profile <profile>', 'advisory | vex', 'advisory')
    .option('--release <version>', 'release version (for --profile vex)')
    .requiredOption('--status <status>', 'interim | final')
    .option('--summary <text>', 'what changed, for the revision history')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(
      async (
        opts: {
          advisory?: string;
          product?: string;
          profile: string;
          release?: string;
          status: string;
          summary?: string;
          org?: string;
        },
        cmd: Command,
      ) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        const out = { json: Boolean(global.json) };
        try {
          if (opts.status !== 'interim' && opts.status !== 'final') {
            throw new UsageError('--status must be interim or final');
          }
          if (opts.profile !== 'advisory' && opts.profile !== 'vex') {
            throw new UsageError('--profile must be advisory or vex');
          }
          const status = opts.status;
          const result = await withOrgRuntime(configFrom(global), opts.org, async (ctx) => {
            let stored = opts.advisory
              ? await findStoredAdvisory(ctx, { idOrTrackingId: opts.advisory })
              : undefined;
            if (!stored && opts.profile === 'vex') {
              if (!opts.product || !opts.release) {
                throw new UsageError('--profile vex needs --product and --release');
              }
              const release = await releaseOf(ctx, opts.product, opts.release);
              stored =
                (await findStoredAdvisory(ctx, { releaseId: release.id })) ??
                (await createCsafAdvisory(ctx, { profile: 'vex', releaseId: release.id }));
            }
            if (!stored) {
              if (!opts.advisory) {
                throw new UsageError("required option '--advisory <id>' not specified");
              }
              const candidates = opts.product
                ? [opts.product]
                : [
                    ...new Set(
                      (await listFindings(ctx, { vulnerabilityId: opts.advisory })).map((f) => f.productId),
                    ),
                  ];
              const productId = candidates.length === 1 ? candidates[0] : undefined;
              if (!productId) {
                throw new UsageError(`Choose the product of ${opts.advisory} with --product`);
              }
              stored =
                (await findStoredAdvisory(ctx, { productId, vulnerabilityId: opts.advisory })) ??
                (await createCsafAdvisory(ctx, {
                  profile: 'security_advisory',
                  productId,
                  vulnerabilityId: opts.advisory,
                }));
            }
            const issued = await issueCsafAdvisory(ctx, stored.id, {
              status,
              ...(opts.summary ? { summary: opts.summary } : {}),
            });
            const latest = issued.revisions.at(-1)!;
            return {
              id: issued.id,
              trackingId: issued.trackingId,
              status: issued.status,
              revision: latest.revision,
              sha256: latest.sha256,
            };
          });
          print(
            out,
            result,
            () =>
              `${result.trackingId} revision ${result.revision} (${result.status}) sha256 ${result.sha256}`,
          );
        } catch (error) {
          failWith(out, error);
        }
      },
    );

  program
    .command('findings')
    .description('Vulnerability findings / 취약점')
    .command('export')
    .description('Export the findings of a release as JSON, CSV, OpenVEX or CycloneDX VEX / 내보내기')
    .requiredOption('--product <id>', 'product id')
    .requiredOption('--release <version>', 'release version')
    .option(
      '--format <format>',
      'json | csv | openvex | cyclonedx-vex | remediation-docx (취약점 조치 결과서; needs --out)',
      'json',
    )
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(
      async (
        opts: { product: string; release: string; format: string; out?: string; org?: string },
        cmd: Command,
      ) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        const out = { json: Boolean(global.json) };
        try {
          if (!['json', 'csv', 'openvex', 'cyclonedx-vex', 'remediation-docx'].includes(opts.format)) {
            throw new UsageError('--format must be json, csv, openvex, cyclonedx-vex or remediation-docx');
          }
          if (opts.format === 'remediation-docx' && !opts.out) {
            throw new UsageError('--format remediation-docx writes a Word file: give --out FILE.docx');
          }
          const text = await withOrgRuntime(configFrom(global), opts.org, async (ctx) => {
            const product = await getProduct(ctx, opts.product);
            const release = await releaseOf(ctx, opts.product, opts.release);
            if (opts.format === 'remediation-docx') {
              // the same audited export as GET /api/v1/releases/:id/findings/export?format=remediation-docx
              return exportRemediationReport(ctx, release.id);
            }
            const findings = await listFindings(ctx, { releaseId: release.id });
            const meta = {
              author: product.manufacturer,
              product: `${product.name} ${product.model}`,
              version: release.version,
              timestamp: ctx.clock.now().toISOString(),
            };
            if (opts.format === 'csv') {
              return findingsCsv(findings);
            }
            if (opts.format === 'openvex') {
              const doc = buildOpenVex(findings, meta);
              const check = validateOpenVex(doc);
              if (!check.valid) {
                throw new AppError(ErrorCode.INTERNAL, {
                  detail: `OpenVEX output failed its schema: ${check.errors.join('; ')}`,
                });
              }
              return `${JSON.stringify(doc, null, 2)}\n`;
            }
            if (opts.format === 'cyclonedx-vex') {
              return `${JSON.stringify(buildCycloneDxVex(findings, meta), null, 2)}\n`;
            }
            return `${JSON.stringify(findings, null, 2)}\n`;
          });
          if (opts.out) {
            writeFileSync(opts.out, text);
          } else {
            process.stdout.write(text);
          }
        } catch (error) {
          failWith(out, error);
        }
      },
    );
};

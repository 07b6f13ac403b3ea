import { normalizePackageName } from './ecosystems.ts';
import {
  OSV_EVENT_KINDS,
  OSV_RANGE_TYPES,
  type OsvAdvisory,
  type OsvAffected,
  type OsvEvent,
  type OsvIssue,
  type OsvRange,
  type OsvRangeType,
  OsvRecordInputSchema,
} from './osv.schemas.ts';
import { isValidVersion, splitEcosystem } from './versions/compare.ts';

/** The ecosystems of the OSV schema (`ecosystemName` in osv-schema.json, 2025). */
export const OSV_ECOSYSTEMS = [
  'AlmaLinux',
  'Alpaquita',
  'Alpine',
  'Android',
  'Azure Linux',
  'BellSoft Hardened Containers',
  'Bioconductor',
  'Bitnami',
  'Chainguard',
  'CleanStart',
  'ConanCenter',
  'CRAN',
  'crates.io',
  'Debian',
  'Docker Hardened Images',
  'Echo',
  'FreeBSD',
  'GHC',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Julia',
  'Kubernetes',
  'Linux',
  'Mageia',
  'Maven',
  'MinimOS',
  'npm',
  'NuGet',
  'opam',
  'openEuler',
  'openSUSE',
  'OSS-Fuzz',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'Root',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'TuxCare',
  'Ubuntu',
  'VSCode',
  'Wolfi',
  'GIT',
] as const;

const COMMIT = /^(0|[a-f0-9]{40}|[a-f0-9]{64})$/;

/** The outcome of reading one OSV record: `advisory` is set when it is accepted (possibly flagged). */
export interface OsvNormalizeResult {
  advisory: OsvAdvisory | undefined;
  accepted: boolean;
  /** Accepted, but with warnings worth showing (invalid versions, unknown ecosystem, non-distinct events …). */
  flagged: boolean;
  issues: OsvIssue[];
}

const strings = (list: string[] | null | undefined): string[] => [
  ...new Set((list ?? []).filter((s) => s !== '')),
];

/**
 * Checks and normalises one OSV record. Errors (the record is refused) are violations of the OSV JSON
 * Schema: missing `id`/`modified`, a range without an `introduced` event, an event that is not exactly one of
 * `introduced`/`fixed`/`last_affected`/`limit`, `fixed` together with `last_affected`, a GIT range without
 * `repo`, a package without ecosystem or name, an entry with neither package nor GIT range. Warnings (accepted
 * but flagged) follow the osv-linter's spirit: unknown ecosystem, versions invalid for the ecosystem,
 * non-distinct events (a repeated event, or introduced and fixed at the same point), a PyPI name that is not
 * PEP 503-normalised, an entry that affects nothing, an entry without package (GIT only), and a GIT range
 * with a non-commit event (the official schema forbids it; the range is dropped since GIT ranges are never
 * evaluated against package versions, and the record is kept).
 * Whether a package exists in its registry (osv-linter's "nopackage" rule) needs network access and is left to
 * the importer.
 */
export const normalizeOsv = (input: unknown): OsvNormalizeResult => {
  const issues: OsvIssue[] = [];
  const error = (code: string, path: string, message: string): void => {
    issues.push({ severity: 'error', code, path, message });
  };
  const warn = (code: string, path: string, message: string): void => {
    issues.push({ severity: 'warning', code, path, message });
  };
  const parsed = OsvRecordInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      error('schema', `/${issue.path.join('/')}`, issue.message);
    }
    return { advisory: undefined, accepted: false, flagged: false, issues };
  }
  const record = parsed.data;
  if (Number.isNaN(Date.parse(record.modified))) {
    warn('invalid-timestamp', '/modified', `"${record.modified}" is not an RFC 3339 timestamp`);
  }
  const aliases = strings(record.aliases);
  if (aliases.includes(record.id)) {
    warn('self-alias', '/aliases', `The record lists its own id ${record.id} as an alias`);
  }
  const affected: OsvAffected[] = (record.affected ?? []).map((entry, i): OsvAffected => {
    const path = `/affected/${i}`;
    const ecosystem = entry.package?.ecosystem;
    const name = entry.package?.name;
    if (entry.package && (!ecosystem || !name)) {
      error('package-incomplete', `${path}/package`, 'A package needs both "ecosystem" and "name"');
    }
    if (ecosystem && !(OSV_ECOSYSTEMS as readonly string[]).includes(splitEcosystem(ecosystem).base)) {
      warn('unknown-ecosystem', `${path}/package/ecosystem`, `"${ecosystem}" is not an OSV ecosystem`);
    }
    if (ecosystem === 'PyPI' && name && normalizePackageName('PyPI', name) !== name) {
      warn('name-not-normalized', `${path}/package/name`, `PyPI name "${name}" is not PEP 503-normalised`);
    }
    const ranges = (entry.ranges ?? []).flatMap((range, r) => {
      const checked = checkRange(range, `${path}/ranges/${r}`, ecosystem, error, warn);
      return checked ? [checked] : [];
    });
    const versions = entry.versions ?? [];
    if (new Set(versions).size !== versions.length) {
      warn('duplicate-versions', `${path}/versions`, 'The versions list repeats a version');
    }
    if (ecosystem) {
      versions.forEach((v, k) => {
        if (!isValidVersion(ecosystem, v)) {
          warn('invalid-version', `${path}/versions/${k}`, `"${v}" is not a valid ${ecosystem} version`);
        }
      });
    }
    if (!entry.package && !ranges.some((g) => g.type === 'GIT')) {
      error('no-package', path, 'An affected entry needs a package unless it only has GIT ranges');
    } else if (!entry.package) {
      warn('no-package', path, 'Only GIT ranges: this entry cannot be matched against package versions');
    }
    if (entry.package && ranges.length === 0 && versions.length === 0) {
      warn('nothing-affected', path, 'The entry has neither ranges nor versions');
    }
    return {
      ...(ecosystem && name
        ? { package: { ecosystem, name, ...(entry.package?.purl ? { purl: entry.package.purl } : {}) } }
        : {}),
      ranges,
      versions: strings(versions),
      severity: entry.severity ?? [],
      ...(entry.ecosystem_specific ? { ecosystemSpecific: entry.ecosystem_specific } : {}),
      ...(entry.database_specific ? { databaseSpecific: entry.database_specific } : {}),
    };
  });
  const accepted = !issues.some((i) => i.severity === 'error');
  const cweIds = record.database_specific?.cwe_ids;
  const advisory: OsvAdvisory = {
    id: record.id,
    ...(record.schema_version ? { schemaVersion: record.schema_version } : {}),
    modified: record.modified,
    ...(record.published ? { published: record.published } : {}),
    ...(record.withdrawn ? { withdrawn: record.withdrawn } : {}),
    aliases: aliases.filter((a) => a !== record.id),
    related: strings(record.related),
    upstream: strings(record.upstream),
    ...(record.summary ? { summary: record.summary } : {}),
    ...(record.details ? { details: record.details } : {}),
    severity: record.severity ?? [],
    affected,
    references: record.references ?? [],
    cwes: Array.isArray(cweIds) ? cweIds.filter((c): c is string => typeof c === 'string') : [],
    ...(record.database_specific ? { databaseSpecific: record.database_specific } : {}),
  };
  return {
    advisory: accepted ? advisory : undefined,
    accepted,
    flagged: accepted && issues.length > 0,
    issues,
  };
};

type Report = (code: string, path: string, message: string) => void;

const checkRange = (
  range: { type: string; repo?: string | undefined; events: Record<string, string>[] },
  path: string,
  ecosystem: string | undefined,
  error: Report,
  warn: Report,
): OsvRange | undefined => {
  if (!(OSV_RANGE_TYPES as readonly string[]).includes(range.type)) {
    error('range-type', `${path}/type`, `Unknown range type "${range.type}"`);
    return undefined;
  }
  const type = range.type as OsvRangeType;
  const events: OsvEvent[] = [];
  range.events.forEach((event, e) => {
    const keys = Object.keys(event);
    const kind = keys[0] as OsvEvent['kind'];
    if (keys.length !== 1 || !(OSV_EVENT_KINDS as readonly string[]).includes(kind)) {
      error(
        'event-shape',
        `${path}/events/${e}`,
        'An event must have exactly one of introduced, fixed, last_affected, limit',
      );
      return;
    }
    events.push({ kind, version: event[kind] as string });
  });
  if (range.events.length === 0) {
    error('no-events', `${path}/events`, 'A range needs at least one event');
  } else if (!events.some((e) => e.kind === 'introduced')) {
    error('no-introduced', `${path}/events`, 'A range must contain an "introduced" event');
  }
  if (events.some((e) => e.kind === 'fixed') && events.some((e) => e.kind === 'last_affected')) {
    error(
      'fixed-and-last-affected',
      `${path}/events`,
      '"fixed" and "last_affected" are mutually exclusive in a range',
    );
  }
  if (type === 'GIT') {
    if (!range.repo) {
      error('git-repo', `${path}/repo`, 'A GIT range needs "repo"');
    }
    const bad = events.findIndex((e) => !COMMIT.test(e.version));
    if (bad >= 0) {
      // GIT ranges are never evaluated against package versions: drop the range, keep the record.
      const value = events[bad]?.version ?? '';
      warn(
        'git-commit',
        `${path}/events/${bad}`,
        `"${value}" is not a full commit hash; the GIT range is ignored`,
      );
      return undefined;
    }
  } else {
    const scheme = type === 'SEMVER' ? 'SEMVER' : ecosystem;
    events.forEach((e, k) => {
      if (scheme && !(e.kind === 'introduced' && e.version === '0') && !isValidVersion(scheme, e.version)) {
        warn('invalid-version', `${path}/events/${k}`, `"${e.version}" is not a valid ${scheme} version`);
      }
    });
  }
  const keys = events.map((e) => `${e.kind}\u0000${e.version}`);
  const fixedAt = new Set(events.filter((e) => e.kind === 'fixed').map((e) => e.version));
  if (
    new Set(keys).size !== keys.length ||
    events.some((e) => e.kind === 'introduced' && fixedAt.has(e.version))
  ) {
    warn(
      'non-distinct-events',
      `${path}/events`,
      'The range repeats an event or is introduced and fixed at the same point',
    );
  }
  return { type, ...(range.repo ? { repo: range.repo } : {}), events };
};

import { normalizePackageName, normalizeRelease, packageFromPurl } from './ecosystems.ts';
import type {
  AffectedResult,
  MatchConfidence,
  OsvAdvisory,
  OsvEvent,
  OsvMatch,
  OsvPackage,
  OsvRange,
  PackageQuery,
} from './osv.schemas.ts';
import {
  compareWithScheme,
  isValidVersion,
  splitEcosystem,
  type VersionScheme,
  versionSchemeOf,
} from './versions/compare.ts';

export { normalizeOsv, OSV_ECOSYSTEMS, type OsvNormalizeResult } from './osv-normalize.ts';

const EVENT_ORDER: Record<OsvEvent['kind'], number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

/**
 * Sorts range events by version in the range's ordering, `introduced: "0"` first; events of equal version keep
 * the order introduced < last_affected < fixed < limit, so a version both introduced and fixed is not affected.
 */
export const sortOsvEvents = (events: OsvEvent[], compare: (a: string, b: string) => number): OsvEvent[] =>
  [...events].sort((x, y) => {
    const xZero = x.kind === 'introduced' && x.version === '0';
    const yZero = y.kind === 'introduced' && y.version === '0';
    if (xZero || yZero) {
      return xZero && yZero ? 0 : xZero ? -1 : 1;
    }
    return compare(x.version, y.version) || EVENT_ORDER[x.kind] - EVENT_ORDER[y.kind];
  });

/** The interval of a range that contains a version: its `introduced` and closing event, if any. */
export interface RangeHit {
  introduced: string;
  fixed?: string;
  lastAffected?: string;
}

/**
 * The OSV evaluation algorithm for one SEMVER or ECOSYSTEM range (osv-schema "Evaluation"): walk the sorted
 * events; `introduced` (or `"0"`) at or below the version makes it vulnerable, `fixed` at or below makes it not
 * vulnerable, `last_affected` below makes it not vulnerable. Returns the interval when vulnerable.
 */
export const evaluateOsvRange = (
  events: OsvEvent[],
  version: string,
  compare: (a: string, b: string) => number,
): RangeHit | undefined => {
  const sorted = sortOsvEvents(events, compare);
  let hit: RangeHit | undefined;
  for (const event of sorted) {
    if (event.kind === 'introduced' && (event.version === '0' || compare(version, event.version) >= 0)) {
      hit = { introduced: event.version };
    } else if (event.kind === 'fixed' && compare(version, event.version) >= 0) {
      hit = undefined;
    } else if (event.kind === 'last_affected' && compare(version, event.version) > 0) {
      hit = undefined;
    }
  }
  if (!hit) {
    return undefined;
  }
  const from = hit.introduced;
  const start = sorted.findIndex((e) => e.kind === 'introduced' && e.version === from);
  const closing = sorted.slice(start + 1).find((e) => e.kind === 'fixed' || e.kind === 'last_affected');
  if (closing?.kind === 'fixed') {
    hit.fixed = closing.version;
  } else if (closing?.kind === 'last_affected') {
    hit.lastAffected = closing.version;
  }
  return hit;
};

const lower = (c: MatchConfidence): MatchConfidence => (c === 'high' ? 'medium' : 'low');

/** Whether an advisory's package is the queried one, with notes on how sure that is. */
const matchPackage = (
  pkg: OsvPackage,
  query: PackageQuery,
): { confidence: MatchConfidence; notes: string[] } | undefined => {
  const advisory = splitEcosystem(pkg.ecosystem);
  const component = splitEcosystem(query.ecosystem);
  if (advisory.base.toLowerCase() !== component.base.toLowerCase()) {
    return undefined;
  }
  if (normalizePackageName(pkg.ecosystem, pkg.name) !== normalizePackageName(query.ecosystem, query.name)) {
    return undefined;
  }
  let confidence: MatchConfidence = 'high';
  const notes: string[] = [];
  if (pkg.name !== query.name.trim()) {
    notes.push(`name matched after ${advisory.base} normalisation ("${query.name}" ~ "${pkg.name}")`);
  }
  const advisoryRelease = normalizeRelease(pkg.ecosystem);
  const componentRelease = normalizeRelease(query.ecosystem);
  if (
    advisoryRelease !== undefined &&
    componentRelease !== undefined &&
    advisoryRelease !== componentRelease
  ) {
    return undefined;
  }
  if (advisoryRelease !== undefined && componentRelease === undefined) {
    confidence = lower(confidence);
    notes.push(`advisory is scoped to ${pkg.ecosystem}; the component's release is unknown`);
  }
  if (query.nameKind === 'binary') {
    confidence = lower(confidence);
    notes.push('matched by binary package name; distribution advisories name source packages');
  }
  return { confidence, notes };
};

const schemeFor = (range: OsvRange, ecosystem: string): VersionScheme => {
  if (range.type !== 'SEMVER') {
    return versionSchemeOf(ecosystem);
  }
  return splitEcosystem(ecosystem).base === 'Go' ? 'go' : 'semver';
};

/**
 * Evaluates an OSV advisory for one package version, following the OSV schema's evaluation rules: the package
 * must match (ecosystem, release when both give one, name normalised per ecosystem); the version is affected if
 * it is in an entry's explicit `versions` list or inside one of its SEMVER/ECOSYSTEM ranges, evaluated with the
 * ecosystem's version order. GIT ranges cannot be evaluated against a package version: an entry with only GIT
 * ranges and no `versions` list yields `unknown`. A withdrawn advisory yields `withdrawn` (with the matches it
 * would have had). Each match says why (entry, range, events) and how confident it is.
 */
export const isAffected = (advisory: OsvAdvisory, query: PackageQuery): AffectedResult => {
  const matches: OsvMatch[] = [];
  const unknown: AffectedResult['unknown'] = [];
  let packageMatched = false;
  advisory.affected.forEach((entry, affectedIndex) => {
    if (!entry.package) {
      return;
    }
    const pkg = matchPackage(entry.package, query);
    if (!pkg) {
      return;
    }
    packageMatched = true;
    const { ecosystem, name } = entry.package;
    const validVersion = isValidVersion(ecosystem, query.version);
    const base = validVersion ? pkg.confidence : lower(pkg.confidence);
    const notes = validVersion
      ? pkg.notes
      : [...pkg.notes, `"${query.version}" is not a valid ${ecosystem} version`];
    const common = { affectedIndex, ecosystem, packageName: name };
    const before = matches.length;
    if (entry.versions.includes(query.version)) {
      matches.push({ ...common, reason: 'version-list', confidence: base, notes });
    } else {
      const scheme = versionSchemeOf(ecosystem);
      const equal = entry.versions.find((v) => compareWithScheme(scheme, v, query.version) === 0);
      if (equal !== undefined) {
        const why = `equal to listed version "${equal}" in ${ecosystem} order`;
        matches.push({ ...common, reason: 'version-list', confidence: lower(base), notes: [...notes, why] });
      }
    }
    entry.ranges.forEach((range, rangeIndex) => {
      if (range.type === 'GIT') {
        return;
      }
      const scheme = schemeFor(range, ecosystem);
      const hit = evaluateOsvRange(range.events, query.version, (a, b) => compareWithScheme(scheme, a, b));
      if (hit) {
        matches.push({
          ...common,
          reason: 'range',
          rangeIndex,
          rangeType: range.type,
          ...hit,
          confidence: base,
          notes,
        });
      }
    });
    const evaluable = entry.ranges.some((r) => r.type !== 'GIT') || entry.versions.length > 0;
    if (!evaluable && entry.ranges.some((r) => r.type === 'GIT')) {
      unknown.push({
        affectedIndex,
        reason: 'only GIT commit ranges: cannot be evaluated against a package version',
      });
    } else if (matches.length === before && !validVersion && evaluable) {
      unknown.push({ affectedIndex, reason: `"${query.version}" is not a valid ${ecosystem} version` });
    }
  });
  const status = advisory.withdrawn
    ? 'withdrawn'
    : matches.length > 0
      ? 'affected'
      : unknown.length > 0
        ? 'unknown'
        : 'not_affected';
  return { status, packageMatched, matches, unknown };
};

/**
 * {@link isAffected} for a component identified by a purl (mapped with `packageFromPurl`). A purl type OSV has
 * no ecosystem for (`pkg:generic`, `pkg:github` …) is `not_affected` with `packageMatched: false` — such
 * components are matched by CPE instead; a purl without version whose package the advisory names is `unknown`.
 */
export const isAffectedByPurl = (advisory: OsvAdvisory, purl: string): AffectedResult => {
  const query = packageQueryOfPurl(purl);
  return query ? isAffectedByQuery(advisory, query) : notAPackage();
};

const notAPackage = (): AffectedResult => ({
  status: 'not_affected',
  packageMatched: false,
  matches: [],
  unknown: [],
});

/**
 * The OSV package query a purl stands for (`undefined` for purl types OSV has no ecosystem for). Parse it once per
 * component and evaluate many advisories with {@link isAffectedByQuery}: the purl is not parsed again each time.
 */
export const packageQueryOfPurl = (purl: string): PackageQuery | undefined => {
  const pkg = packageFromPurl(purl);
  if (!pkg) {
    return undefined;
  }
  return {
    ecosystem: pkg.ecosystem,
    name: pkg.name,
    version: pkg.version ?? '',
    ...(pkg.nameKind ? { nameKind: pkg.nameKind } : {}),
  };
};

/** {@link isAffected}, except that a query without a version is `unknown` when the advisory names its package. */
export const isAffectedByQuery = (advisory: OsvAdvisory, query: PackageQuery): AffectedResult => {
  if (query.version === '') {
    const named = advisory.affected.flatMap((entry, affectedIndex) =>
      entry.package && matchPackage(entry.package, query) ? [affectedIndex] : [],
    );
    return named.length === 0
      ? notAPackage()
      : {
          status: advisory.withdrawn ? 'withdrawn' : 'unknown',
          packageMatched: true,
          matches: [],
          unknown: named.map((affectedIndex) => ({ affectedIndex, reason: 'the component has no version' })),
        };
  }
  return isAffected(advisory, query);
};

import { type CpeName, type CpeValue, compareCpeValues, parseCpe } from './cpe.ts';
import {
  type CpeComponent,
  type CpeEvaluation,
  type CpeMatchDetail,
  type NvdConfiguration,
  NvdConfigurationSchema,
  type NvdCpeMatch,
} from './nvd.schemas.ts';
import { compareGenericVersions } from './versions/generic.ts';

/**
 * NVD configuration evaluation for components identified by CPE (firmware, OS parts, embedded libraries that
 * have no purl), with the false-positive guards that CPE matching needs in practice.
 */

type Truth = 'true' | 'false' | 'unknown';
type Confidence = CpeMatchDetail['confidence'];

interface CriterionResult {
  truth: Truth;
  confidence: Confidence;
  notes: string[];
  version: string | undefined;
  range: string | undefined;
}

const lower = (c: Confidence): Confidence => (c === 'high' ? 'medium' : 'low');
const no = (note: string): CriterionResult => ({
  truth: 'false',
  confidence: 'low',
  notes: [note],
  version: undefined,
  range: undefined,
});
const isConcrete = (v: CpeValue): v is Extract<CpeValue, { kind: 'value' }> =>
  v.kind === 'value' && !v.wildcards;
const accepts = (r: string): boolean => r === 'EQUAL' || r === 'SUPERSET';

const rangeText = (m: NvdCpeMatch): string | undefined => {
  const parts = [
    m.versionStartIncluding && `>=${m.versionStartIncluding}`,
    m.versionStartExcluding && `>${m.versionStartExcluding}`,
    m.versionEndIncluding && `<=${m.versionEndIncluding}`,
    m.versionEndExcluding && `<${m.versionEndExcluding}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
};

/**
 * Whether one component satisfies one CPE match criterion. Guards: the part must be equal; the component
 * must name a concrete vendor and product and the criterion must not leave the product open; `target_sw`,
 * `target_hw` or an edition the criterion requires but the component does not state lower the confidence,
 * while a stated, different value excludes; an `update` the criterion requires (`rc0`) must appear in the
 * component's version; a criterion for all versions (`*` without bounds) matches with medium confidence.
 */
export const matchCpeCriterion = (
  criterion: NvdCpeMatch,
  source: CpeName,
  component: CpeComponent,
  target: CpeName,
  compare: (a: string, b: string) => number = compareGenericVersions,
): CriterionResult => {
  if (!isConcrete(target.part) || !accepts(compareCpeValues(source.part, target.part))) {
    return no('part differs');
  }
  if (!isConcrete(target.vendor) || !isConcrete(target.product)) {
    return no('the component CPE does not name a concrete vendor and product');
  }
  if (source.product.kind !== 'value' || source.vendor.kind !== 'value') {
    return no('the criterion leaves vendor or product open');
  }
  if (
    !accepts(compareCpeValues(source.vendor, target.vendor)) ||
    !accepts(compareCpeValues(source.product, target.product))
  ) {
    return no('vendor or product differs');
  }
  let confidence: Confidence = 'high';
  const notes: string[] = [];
  let componentVersion = isConcrete(target.version)
    ? target.version.text
    : component.version?.trim() || undefined;
  for (const attribute of [
    'update',
    'edition',
    'language',
    'swEdition',
    'targetSw',
    'targetHw',
    'other',
  ] as const) {
    const relation = compareCpeValues(source[attribute], target[attribute]);
    if (accepts(relation)) {
      continue;
    }
    if (relation !== 'SUBSET') {
      return no(`${attribute} differs`);
    }
    const wanted = source[attribute].kind === 'value' ? (source[attribute] as { text: string }).text : '-';
    if (attribute === 'update') {
      // The component may carry the update in its version ("2.9.0-rc0" for criterion 2.9.0 / update rc0).
      const m = componentVersion ? /^(.*?\d)[-_.+~]?([^\d.].*)$/.exec(componentVersion.toLowerCase()) : null;
      if (!m || m[2] !== wanted) {
        return no(`the criterion is for update "${wanted}" only`);
      }
      componentVersion = m[1];
      notes.push(`update "${wanted}" taken from the component version`);
      continue;
    }
    confidence = lower(confidence);
    notes.push(`the criterion requires ${attribute}=${wanted}; the component does not state it`);
  }
  const range = rangeText(criterion);
  const base = (truth: Truth, extra?: string): CriterionResult => ({
    truth,
    confidence,
    notes: extra ? [...notes, extra] : notes,
    version: componentVersion,
    range,
  });
  const sourceVersion = source.version;
  if (sourceVersion.kind === 'na') {
    if (source.part.kind === 'value' && source.part.text === 'h') {
      return base('true');
    }
    confidence = lower(lower(confidence));
    return base('true', 'the criterion names the product without a version ("-")');
  }
  if (sourceVersion.kind === 'value') {
    if (componentVersion === undefined) {
      return base('unknown', 'the component has no version');
    }
    if (sourceVersion.wildcards) {
      const target = {
        kind: 'value',
        quoted: componentVersion.toLowerCase(),
        text: componentVersion,
        wildcards: false,
      } as const;
      return compareCpeValues(sourceVersion, target) === 'SUPERSET' ? base('true') : no('version differs');
    }
    if (sourceVersion.text === componentVersion.toLowerCase()) {
      return base('true');
    }
    return compare(sourceVersion.text, componentVersion) === 0
      ? base('true', `version "${componentVersion}" equals "${sourceVersion.text}" by version order`)
      : no('version differs');
  }
  if (range === undefined) {
    confidence = lower(confidence);
    return base('true', 'the criterion covers all versions');
  }
  if (componentVersion === undefined) {
    return base('unknown', 'the component has no version');
  }
  const c = (bound: string): number => compare(componentVersion, bound);
  const inside =
    (criterion.versionStartIncluding === undefined || c(criterion.versionStartIncluding) >= 0) &&
    (criterion.versionStartExcluding === undefined || c(criterion.versionStartExcluding) > 0) &&
    (criterion.versionEndIncluding === undefined || c(criterion.versionEndIncluding) <= 0) &&
    (criterion.versionEndExcluding === undefined || c(criterion.versionEndExcluding) < 0);
  return inside ? base('true') : no(`version ${componentVersion} is outside ${range}`);
};

const combine = (values: Truth[], operator: 'AND' | 'OR', negate: boolean): Truth => {
  let result: Truth;
  if (operator === 'AND') {
    result = values.includes('false') ? 'false' : values.includes('unknown') ? 'unknown' : 'true';
  } else {
    result = values.includes('true') ? 'true' : values.includes('unknown') ? 'unknown' : 'false';
  }
  if (!negate || result === 'unknown') {
    return result;
  }
  return result === 'true' ? 'false' : 'true';
};

/**
 * Evaluates NVD configurations against a set of components (typically all CPE-identified components of one
 * product release, so that AND configurations can find their platform). Configurations are OR-ed; nodes are
 * combined with the configuration operator and their cpeMatch entries with the node operator, `negate`
 * inverting either, in three-valued logic (true / false / unknown). A non-vulnerable platform criterion that
 * no component matches counts as unknown, not false — SBOMs rarely list the platform — and is reported in
 * `missingPlatforms`. A configuration only counts if at least one vulnerable criterion matched a component.
 */
export const evaluateNvdConfigurations = (
  configurations: NvdConfiguration[],
  components: CpeComponent[],
  options: { compare?: (a: string, b: string) => number } = {},
): CpeEvaluation => {
  const rejected: CpeEvaluation['rejected'] = [];
  const parsed = components.flatMap((component) => {
    try {
      return [{ component, name: parseCpe(component.cpe, { lenient: true }) }];
    } catch (e) {
      rejected.push({ cpe: component.cpe, message: (e as Error).message });
      return [];
    }
  });
  const affected: CpeMatchDetail[] = [];
  const undecided: CpeMatchDetail[] = [];
  const missing = new Set<string>();
  configurations.forEach((configuration, configurationIndex) => {
    const details: CpeMatchDetail[] = [];
    const missingHere: string[] = [];
    const nodeTruths = configuration.nodes.map((node, nodeIndex) => {
      const truths = node.cpeMatch.map((criterion): Truth => {
        let source: CpeName;
        try {
          source = parseCpe(criterion.criteria);
        } catch {
          return 'false';
        }
        let best: Truth = 'false';
        for (const { component, name } of parsed) {
          const r = matchCpeCriterion(criterion, source, component, name, options.compare);
          if (r.truth === 'false') {
            continue;
          }
          best = best === 'true' || r.truth === 'true' ? 'true' : 'unknown';
          details.push({
            configurationIndex,
            nodeIndex,
            criteria: criterion.criteria,
            ...(criterion.matchCriteriaId ? { matchCriteriaId: criterion.matchCriteriaId } : {}),
            vulnerable: criterion.vulnerable,
            componentCpe: component.cpe,
            ...(component.ref ? { componentRef: component.ref } : {}),
            ...(r.version ? { version: r.version } : {}),
            ...(r.range ? { versionRange: r.range } : {}),
            confidence: r.truth === 'unknown' ? 'low' : r.confidence,
            notes: r.notes,
          });
        }
        if (best === 'false' && !criterion.vulnerable) {
          missingHere.push(criterion.criteria);
          return 'unknown';
        }
        return best;
      });
      return combine(truths, node.operator, node.negate);
    });
    const truth = combine(nodeTruths, configuration.operator, configuration.negate);
    const vulnerable = details.filter((d) => d.vulnerable);
    if (vulnerable.length === 0 || truth === 'false') {
      return;
    }
    if (truth === 'true') {
      affected.push(...vulnerable);
    } else {
      undecided.push(...vulnerable);
      for (const m of missingHere) {
        missing.add(m);
      }
    }
  });
  const status = affected.length > 0 ? 'affected' : undecided.length > 0 ? 'unknown' : 'not_affected';
  return {
    status,
    matches: status === 'affected' ? affected : undecided,
    missingPlatforms: status === 'unknown' ? [...missing] : [],
    rejected,
  };
};

interface LegacyMatch {
  vulnerable?: boolean;
  cpe23Uri?: string;
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
}
interface LegacyNode {
  operator?: string;
  negate?: boolean;
  cpe_match?: LegacyMatch[];
  children?: LegacyNode[];
}

const fromLegacyNode = (node: LegacyNode): unknown => ({
  operator: node.operator,
  negate: node.negate ?? false,
  cpeMatch: (node.cpe_match ?? []).map(({ cpe23Uri, vulnerable, ...bounds }) => ({
    vulnerable: vulnerable ?? true,
    criteria: cpe23Uri,
    ...bounds,
  })),
});

/**
 * The configurations of an NVD record: an API 2.0 response (`{ vulnerabilities: [{ cve }] }`, first CVE), an
 * API 2.0 `cve` object, or a legacy 1.1 feed item (`configurations.nodes` with `cpe_match`/`children`, each
 * top-level node becoming one configuration). Throws a zod error if the shape is wrong.
 */
export const nvdConfigurationsOf = (record: unknown): NvdConfiguration[] => {
  const r = record as {
    vulnerabilities?: { cve?: unknown }[];
    cve?: unknown;
    configurations?: unknown;
  };
  if (Array.isArray(r.vulnerabilities)) {
    return nvdConfigurationsOf(r.vulnerabilities[0]?.cve ?? {});
  }
  const configurations = r.configurations;
  if (configurations && !Array.isArray(configurations) && typeof configurations === 'object') {
    const nodes = ((configurations as { nodes?: LegacyNode[] }).nodes ?? []).map((node) =>
      node.children && node.children.length > 0
        ? { operator: node.operator, negate: node.negate ?? false, nodes: node.children.map(fromLegacyNode) }
        : { nodes: [fromLegacyNode(node)] },
    );
    return NvdConfigurationSchema.array().parse(nodes);
  }
  return NvdConfigurationSchema.array().parse(configurations ?? []);
};

import type {
  CompletenessReport,
  Component,
  ComponentElement,
  ElementCoverage,
  Sbom,
} from './sboms.schemas.ts';
import { COMPONENT_ELEMENTS } from './sboms.schemas.ts';

/** Values that fill a field without saying anything ("Unknown" support level tells a reviewer nothing). */
const UNINFORMATIVE = /^(unknown|n\/?a|none|noassertion|tbd|-|\?)$/i;

const informative = (value: string | undefined): boolean =>
  !!value?.trim() && !UNINFORMATIVE.test(value.trim());

/** Keys that take part in the dependency graph: a source with targets, a target, or a nested component. */
const relatedKeys = (sbom: Sbom): Set<string> => {
  const keys = new Set<string>();
  for (const d of sbom.dependencies) {
    if (d.to.length > 0) {
      keys.add(d.from);
    }
    for (const t of d.to) {
      keys.add(t);
    }
  }
  for (const c of sbom.components) {
    if (c.parentKey) {
      keys.add(c.key);
      keys.add(c.parentKey);
    }
  }
  return keys;
};

/**
 * NTIA minimum elements (2021) and the FDA premarket extras per SBOM: how many components carry each element and
 * which do not. MFDS 2025 art. 16 and the FDA premarket cybersecurity guidance ask for an SBOM a reviewer can use,
 * so a present-but-empty value does not count.
 *
 * - supplier: `supplier`, or the CycloneDX `publisher` when no supplier is given;
 * - unique identifier: purl, CPE or SWID tag id;
 * - dependency relationship: the component is a source (with targets) or target of a dependency edge, or is
 *   nested in another component. A graph that lists components with empty `dependsOn` relates nothing;
 * - support level / end of support (FDA): present and not `Unknown`, `N/A`, `NOASSERTION` …;
 * - document author: an SBOM author or, as the NTIA conformance checker accepts, a tool; timestamp: `created`.
 */
export const assessCompleteness = (sbom: Sbom): CompletenessReport => {
  const related = relatedKeys(sbom);
  const has: Record<ComponentElement, (c: Component) => boolean> = {
    supplier: (c) => informative(c.supplier?.name) || informative(c.publisher),
    name: (c) => informative(c.name),
    version: (c) => !!c.version?.trim(),
    uniqueIdentifier: (c) => !!(c.purl || c.cpe || c.swid),
    dependencyRelationship: (c) => related.has(c.key),
    supportLevel: (c) => informative(c.supportLevel),
    endOfSupport: (c) => informative(c.endOfSupport),
  };
  const elements = Object.fromEntries(
    COMPONENT_ELEMENTS.map((element) => {
      const coverage: ElementCoverage = { present: 0, missing: [] };
      for (const c of sbom.components) {
        if (has[element](c)) {
          coverage.present++;
        } else {
          coverage.missing.push({ key: c.key, name: c.name, ...(c.version ? { version: c.version } : {}) });
        }
      }
      return [element, coverage];
    }),
  ) as Record<ComponentElement, ElementCoverage>;
  const document = {
    author: sbom.metadata.authors.length > 0 || sbom.metadata.tools.length > 0,
    timestamp: !!sbom.metadata.created,
  };
  const complete = (list: readonly ComponentElement[]): boolean =>
    sbom.components.length > 0 && list.every((e) => elements[e].missing.length === 0);
  const ntiaComplete =
    document.author &&
    document.timestamp &&
    complete(['supplier', 'name', 'version', 'uniqueIdentifier', 'dependencyRelationship']);
  return {
    componentCount: sbom.components.length,
    elements,
    document,
    ntiaComplete,
    fdaComplete: ntiaComplete && complete(['supportLevel', 'endOfSupport']),
  };
};

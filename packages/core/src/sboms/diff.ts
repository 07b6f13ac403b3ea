import { stripPurlVersion } from './normalize.ts';
import type { Component, ComponentChange, Sbom, SbomDiff } from './sboms.schemas.ts';

/**
 * The identity of a component across releases: its purl without version, qualifiers and subpath; else its group
 * and name (case-insensitive), so a version bump is a change and not a removal plus an addition.
 */
export const identifyComponent = (c: Component): string => {
  const fromPurl = c.purl ? stripPurlVersion(c.purl) : undefined;
  return fromPurl ?? `name:${(c.group ?? '').toLowerCase()}/${c.name.toLowerCase()}`;
};

const hashesText = (c: Component): string | undefined =>
  c.hashes.length
    ? c.hashes
        .map((h) => `${h.alg}:${h.value}`)
        .sort()
        .join(', ')
    : undefined;

const licensesText = (c: Component): string | undefined =>
  [c.licenses, ...[...c.licenseNames].sort()].filter((x): x is string => !!x).join(' ; ') || undefined;

const changesOf = (before: Component, after: Component): ComponentChange['changes'] => {
  const out: ComponentChange['changes'] = [];
  const compare = (field: ComponentChange['changes'][number]['field'], b?: string, a?: string): void => {
    if (b !== a) {
      out.push({
        field,
        ...(b !== undefined ? { before: b } : {}),
        ...(a !== undefined ? { after: a } : {}),
      });
    }
  };
  compare('version', before.version, after.version);
  compare('hashes', hashesText(before), hashesText(after));
  compare('licenses', licensesText(before), licensesText(after));
  return out;
};

const group = (components: Component[]): Map<string, Component[]> => {
  const map = new Map<string, Component[]>();
  for (const c of components) {
    const id = identifyComponent(c);
    map.set(id, [...(map.get(id) ?? []), c]);
  }
  return map;
};

const byVersion = (a: Component, b: Component): number => (a.version ?? '').localeCompare(b.version ?? '');

/**
 * What changed between two SBOMs of a product (MFDS 2025 art. 16: the SBOM follows every release): components
 * added, removed, and changed in version, hashes or licences. Several components of one identity (multi-arch
 * packages, two versions side by side) are paired by equal version first, then one to one in version order.
 */
export const diffSboms = (before: Sbom, after: Sbom): SbomDiff => {
  const old = group(before.components);
  const cur = group(after.components);
  const diff: SbomDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const identity of [...new Set([...old.keys(), ...cur.keys()])].sort()) {
    const b = [...(old.get(identity) ?? [])].sort(byVersion);
    const a = [...(cur.get(identity) ?? [])].sort(byVersion);
    const pairs: [Component, Component][] = [];
    for (const x of [...b]) {
      const i = a.findIndex((y) => y.version === x.version);
      if (i >= 0) {
        pairs.push([x, a.splice(i, 1)[0] as Component]);
        b.splice(b.indexOf(x), 1);
      }
    }
    while (b.length && a.length) {
      pairs.push([b.shift() as Component, a.shift() as Component]);
    }
    diff.removed.push(...b);
    diff.added.push(...a);
    for (const [x, y] of pairs) {
      const changes = changesOf(x, y);
      if (changes.length) {
        diff.changed.push({ identity, before: x, after: y, changes });
      } else {
        diff.unchanged++;
      }
    }
  }
  return diff;
};

/**
 * Alias merging: advisories that name each other in `aliases` (CVE, GHSA, PYSEC, GO, RUSTSEC, distro ids …)
 * describe one vulnerability. Groups are the transitive closure of the alias relation (OSV "aliases" semantics);
 * `related` and `upstream` link different vulnerabilities and never merge.
 */

/** The part of an advisory alias merging needs. */
export interface AliasSource {
  id: string;
  aliases: readonly string[];
}

/** One vulnerability: all ids that alias each other, the records that carry them and a canonical id. */
export interface AliasGroup {
  canonicalId: string;
  /** Every id in the group, sorted. */
  ids: string[];
  /** The ids of the given records that belong to the group, in input order. */
  recordIds: string[];
}

const CVE = /^CVE-\d{4}-\d{4,}$/;
const GHSA = /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/;

/** Canonical id preference: a real CVE id, then a GHSA id, then any other; ties go to the smallest id. */
const rank = (id: string): number => (CVE.test(id) ? 0 : GHSA.test(id) ? 1 : 2);

/** Picks the id a merged vulnerability is shown under (see {@link mergeAliases}). */
export const canonicalAliasId = (ids: Iterable<string>): string => {
  const sorted = [...ids].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const first = sorted[0];
  if (first === undefined) {
    throw new Error('canonicalAliasId needs at least one id');
  }
  return first;
};

/**
 * Merges advisories into vulnerabilities by their aliases (union-find over ids). Ids are compared exactly,
 * except that CVE and GHSA ids are compared case-insensitively (`CVE-…` upper case, `GHSA-…` lower case).
 */
export const mergeAliases = (records: readonly AliasSource[]): AliasGroup[] => {
  const parent = new Map<string, string>();
  const norm = (id: string): string => {
    const trimmed = id.trim();
    if (/^cve-/i.test(trimmed)) {
      return trimmed.toUpperCase();
    }
    return /^ghsa-/i.test(trimmed) ? `GHSA-${trimmed.slice(5).toLowerCase()}` : trimmed;
  };
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) {
      root = parent.get(root) as string;
    }
    let node = id;
    while (node !== root) {
      const next = parent.get(node) as string;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const add = (id: string): void => {
    if (!parent.has(id)) {
      parent.set(id, id);
    }
  };
  const union = (a: string, b: string): void => {
    const x = find(a);
    const y = find(b);
    if (x !== y) {
      parent.set(y, x);
    }
  };
  for (const record of records) {
    const id = norm(record.id);
    add(id);
    for (const alias of record.aliases) {
      const other = norm(alias);
      if (other !== '') {
        add(other);
        union(id, other);
      }
    }
  }
  const members = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    members.set(root, [...(members.get(root) ?? []), id]);
  }
  const groups = new Map<string, AliasGroup>();
  for (const record of records) {
    const root = find(norm(record.id));
    let group = groups.get(root);
    if (!group) {
      const ids = (members.get(root) ?? []).sort();
      group = { canonicalId: canonicalAliasId(ids), ids, recordIds: [] };
      groups.set(root, group);
    }
    group.recordIds.push(record.id);
  }
  return [...groups.values()];
};

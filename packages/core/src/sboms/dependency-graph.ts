/**
 * The dependency graph of one SBOM (CycloneDX `dependencies`, SPDX `DEPENDS_ON`/`CONTAINS`), as the explorer shows
 * it: a tree opened level by level. Real graphs have cycles (npm, Go modules) and nodes that are no component of
 * their own (the SBOM's subject, `metadata.component`), so the tree is built from roots that reach every node.
 */
export interface DependencyEdge {
  from: string;
  to: string;
}

export interface DependencyIndex {
  /** Targets of each key, in key order, without duplicates. */
  children: ReadonlyMap<string, readonly string[]>;
  /** How many edges point at each key. */
  incoming: ReadonlyMap<string, number>;
  /** Keys from which every node is reachable (see `dependencyRoots`). */
  roots: readonly string[];
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Indexes a graph: `nodes` are the component keys (a node without edges is its own root); edges may name keys that
 * are no component (the SBOM's subject), which become nodes too.
 */
export const indexDependencies = ({
  nodes,
  edges,
}: {
  nodes: Iterable<string>;
  edges: Iterable<DependencyEdge>;
}): DependencyIndex => {
  const children = new Map<string, Set<string>>();
  const incoming = new Map<string, number>();
  const all = new Set<string>(nodes);
  for (const e of edges) {
    all.add(e.from);
    all.add(e.to);
    const set = children.get(e.from) ?? new Set<string>();
    if (!set.has(e.to)) {
      set.add(e.to);
      incoming.set(e.to, (incoming.get(e.to) ?? 0) + 1);
    }
    children.set(e.from, set);
  }
  const sorted = new Map<string, string[]>();
  for (const [k, v] of children) {
    sorted.set(k, [...v].sort(byKey));
  }
  return { children: sorted, incoming, roots: dependencyRoots(all, sorted, incoming) };
};

/**
 * Roots of the tree view: every node nothing depends on, then, for each part of the graph those roots do not reach
 * (a cycle nothing else points at, such as A → B → A), its smallest key, so that every node can be found by
 * expanding from some root. Sorted by key within each group; deterministic.
 */
export const dependencyRoots = (
  nodes: Iterable<string>,
  children: ReadonlyMap<string, readonly string[]>,
  incoming: ReadonlyMap<string, number>,
): string[] => {
  const all = [...new Set(nodes)].sort(byKey);
  const roots = all.filter((k) => (incoming.get(k) ?? 0) === 0);
  const seen = new Set<string>();
  const visit = (start: string) => {
    const stack = [start];
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (seen.has(k)) {
        continue;
      }
      seen.add(k);
      for (const c of children.get(k) ?? []) {
        if (!seen.has(c)) {
          stack.push(c);
        }
      }
    }
  };
  for (const r of roots) {
    visit(r);
  }
  for (const k of all) {
    if (!seen.has(k)) {
      roots.push(k);
      visit(k);
    }
  }
  return roots;
};

/**
 * The keys from which at least one of `targets` can be reached through one or more edges (their ancestors; a target
 * is included only when it reaches another target or itself through a cycle). Cycle-safe, linear in the graph.
 * The explorer marks these "findings below" so a person knows which branch to open.
 */
export const ancestorsOf = (edges: Iterable<DependencyEdge>, targets: Iterable<string>): Set<string> => {
  const parents = new Map<string, string[]>();
  for (const e of edges) {
    const list = parents.get(e.to);
    if (list) {
      list.push(e.from);
    } else {
      parents.set(e.to, [e.from]);
    }
  }
  const out = new Set<string>();
  const stack = [...new Set(targets)];
  while (stack.length > 0) {
    const k = stack.pop()!;
    for (const p of parents.get(k) ?? []) {
      if (!out.has(p)) {
        out.add(p);
        stack.push(p);
      }
    }
  }
  return out;
};

/**
 * One shortest path of keys from a root to `key` (breadth first), for "show in tree"; undefined when `key` is no
 * node of the graph.
 */
export const pathTo = (index: DependencyIndex, key: string): string[] | undefined => {
  const previous = new Map<string, string | null>();
  const queue: string[] = [];
  for (const r of index.roots) {
    if (!previous.has(r)) {
      previous.set(r, null);
      queue.push(r);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const k = queue[i]!;
    if (k === key) {
      const path = [k];
      let p = previous.get(k) ?? null;
      while (p !== null) {
        path.unshift(p);
        p = previous.get(p) ?? null;
      }
      return path;
    }
    for (const c of index.children.get(k) ?? []) {
      if (!previous.has(c)) {
        previous.set(c, k);
        queue.push(c);
      }
    }
  }
  return undefined;
};

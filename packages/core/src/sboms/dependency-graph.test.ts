import { describe, expect, it } from 'vitest';
import { ancestorsOf, dependencyRoots, indexDependencies, pathTo } from './dependency-graph.ts';
import { sbomOf } from './sboms.testing.ts';

const edges = (...pairs: string[]) =>
  pairs.map((p) => {
    const [from, to] = p.split('>');
    return { from: from!, to: to! };
  });

describe('indexDependencies and dependencyRoots', () => {
  it('takes nodes nothing depends on as roots, sorted, with children sorted and deduplicated', () => {
    const index = indexDependencies({
      nodes: ['c', 'b', 'a', 'lone'],
      edges: edges('a>c', 'a>b', 'a>b', 'b>c'),
    });
    expect(index.roots).toEqual(['a', 'lone']);
    expect(index.children.get('a')).toEqual(['b', 'c']);
    expect(index.incoming.get('c')).toBe(2);
    expect(index.incoming.get('b')).toBe(1);
  });

  it('adds one root per cycle no root reaches, so every node can be found', () => {
    // x → y → z → x is a cycle with nothing above it; a → b → a hangs below root r
    const index = indexDependencies({
      nodes: ['r', 'a', 'b', 'x', 'y', 'z'],
      edges: edges('r>a', 'a>b', 'b>a', 'y>z', 'z>x', 'x>y'),
    });
    expect(index.roots).toEqual(['r', 'x']);
    expect(
      dependencyRoots(
        ['p', 'q'],
        new Map([
          ['p', ['q']],
          ['q', ['p']],
        ]),
        new Map([
          ['p', 1],
          ['q', 1],
        ]),
      ),
    ).toEqual(['p']);
  });

  it('treats keys that are only named by edges (the SBOM subject) as nodes', () => {
    const index = indexDependencies({ nodes: ['lib'], edges: edges('app>lib') });
    expect(index.roots).toEqual(['app']);
  });
});

describe('ancestorsOf', () => {
  it('finds every key above the targets, through cycles, without looping', () => {
    const graph = edges('r>a', 'a>b', 'b>a', 'b>leaf', 'r>other');
    expect([...ancestorsOf(graph, ['leaf'])].sort()).toEqual(['a', 'b', 'r']);
    expect([...ancestorsOf(graph, ['other'])]).toEqual(['r']);
    expect([...ancestorsOf(graph, ['a'])].sort()).toEqual(['a', 'b', 'r']);
    expect(ancestorsOf(graph, []).size).toBe(0);
  });
});

describe('pathTo', () => {
  it('gives a shortest path from a root', () => {
    const index = indexDependencies({ nodes: [], edges: edges('r>a', 'a>b', 'r>b', 'b>c') });
    expect(pathTo(index, 'c')).toEqual(['r', 'b', 'c']);
    expect(pathTo(index, 'r')).toEqual(['r']);
    expect(pathTo(index, 'missing')).toBeUndefined();
  });
});

describe('real dependency graphs', () => {
  it('juice-shop (npm, 1,115 components): one root, the application, and every component reachable', () => {
    const sbom = sbomOf([
      'cyclonedx',
      'bom-examples',
      'SBOM',
      'juice-shop',
      'via_npm',
      'flat',
      'bom.1.4.json',
    ]);
    const graph = sbom.dependencies.flatMap((d) => d.to.map((to) => ({ from: d.from, to })));
    const index = indexDependencies({ nodes: sbom.components.map((c) => c.key), edges: graph });
    expect(index.roots).toEqual([sbom.metadata.component?.key]);
    for (const c of sbom.components) {
      expect(pathTo(index, c.key), c.key).toBeDefined();
    }
  });

  it('kawipiko (Go modules) has cycles and still reaches each module from the root', () => {
    const sbom = sbomOf(['bom-shelter', 'in-the-wild', 'cyclonedx', 'kawipiko-sbom-cdx.json']);
    const graph = sbom.dependencies.flatMap((d) => d.to.map((to) => ({ from: d.from, to })));
    const index = indexDependencies({ nodes: sbom.components.map((c) => c.key), edges: graph });
    expect(index.roots).toHaveLength(1);
    const lastKey = sbom.components.at(-1)!.key;
    // a module in a cycle is its own ancestor
    const cyclic = sbom.components.filter((c) => ancestorsOf(graph, [c.key]).has(c.key));
    expect(cyclic.length).toBeGreaterThan(0);
    expect(pathTo(index, lastKey)?.[0]).toBe(index.roots[0]);
  });
});

/**
 * Synthetic data for the scale benchmarks of issue #5, made by varying the real OSV corpus (never random noise):
 * each real advisory is copied with a suffix on its id, aliases and package names, so the copies keep the real
 * ranges, version schemes and record sizes but name packages of their own. The SBOM names packages those
 * advisories affect, at versions inside (affected) or at the end of (fixed) one of their ranges, plus packages no
 * advisory names. Deterministic: the same corpus gives the same files.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { corpus } from '../packages/core/src/testing/corpora.ts';
import { readAdvisoryDocuments } from '../packages/server/src/modules/advisories/advisory.files.ts';

type Json = Record<string, unknown>;
interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
}
interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: { type: string; events: OsvEvent[] }[];
  versions?: string[];
}

/** The bulk OSV sets of the corpora (`.jsonl.gz`): every ecosystem OSV publishes in full there. */
export const osvCorpusFiles = (): string[] => {
  const root = corpus('osv');
  return readdirSync(root)
    .filter((d) => !['invalid', 'samples', 'ghsa-targeted'].includes(d))
    .sort()
    .flatMap((d) =>
      readdirSync(join(root, d))
        .filter((f) => f.endsWith('.jsonl.gz'))
        .map((f) => join(root, d, f)),
    );
};

export const readOsvCorpus = async (): Promise<Json[]> => {
  const docs: Json[] = [];
  for (const file of osvCorpusFiles()) {
    for await (const item of readAdvisoryDocuments(file)) {
      if (item.ok) {
        docs.push(item.doc as Json);
      }
    }
  }
  return docs;
};

const PURL_TYPES: Record<string, string> = {
  Go: 'golang',
  PyPI: 'pypi',
  'crates.io': 'cargo',
  Bitnami: 'bitnami',
};

const renamed = (ecosystem: string, name: string, tag: string): string =>
  ecosystem === 'Go' ? `${name}/${tag.toLowerCase()}` : `${name}-${tag.toLowerCase()}`;

/** One copy of a real advisory under its own ids and package names. */
export const varyAdvisory = (doc: Json, tag: string): Json => {
  const copy = structuredClone(doc);
  copy.id = `${String(doc.id)}-${tag}`;
  copy.aliases = ((doc.aliases as string[] | undefined) ?? []).map((a) => `${a}-${tag}`);
  delete copy.related;
  delete copy.upstream;
  for (const a of (copy.affected as OsvAffected[] | undefined) ?? []) {
    if (a.package) {
      a.package.name = renamed(a.package.ecosystem, a.package.name, tag);
      const type = PURL_TYPES[a.package.ecosystem];
      if (type) {
        a.package.purl = `pkg:${type}/${a.package.name}`;
      } else {
        delete a.package.purl;
      }
    }
  }
  return copy;
};

export const writeJsonlGz = (path: string, docs: Json[]): void => {
  writeFileSync(path, gzipSync(Buffer.from(`${docs.map((d) => JSON.stringify(d)).join('\n')}\n`)));
};

/** A version inside the affected range (or listed as affected), and the version that fixes it, when they exist. */
const versionsOf = (a: OsvAffected): { affected?: string; fixed?: string } => {
  const listed = a.versions?.[0];
  for (const r of a.ranges ?? []) {
    if (r.type === 'GIT') {
      continue;
    }
    const introduced = r.events.find((e) => e.introduced !== undefined)?.introduced;
    const fixed = r.events.find((e) => e.fixed !== undefined)?.fixed;
    const last = r.events.find((e) => e.last_affected !== undefined)?.last_affected;
    const inside = last ?? (introduced && introduced !== '0' ? introduced : listed);
    return { ...(inside ? { affected: inside } : {}), ...(fixed ? { fixed } : {}) };
  }
  return listed ? { affected: listed } : {};
};

const purlOf = (ecosystem: string, name: string, version: string): string => {
  const type = PURL_TYPES[ecosystem] as string;
  if (type === 'golang') {
    const at = name.lastIndexOf('/');
    return `pkg:golang/${name.slice(0, at)}/${encodeURIComponent(name.slice(at + 1))}@v${version.replace(/^v/, '')}`;
  }
  return `pkg:${type}/${encodeURIComponent(name)}@${encodeURIComponent(version)}`;
};

const hex64 = (n: number): string => n.toString(16).padStart(8, '0').repeat(8);

/**
 * A CycloneDX 1.6 JSON SBOM of `total` components: about 30 % name packages the given advisories affect (half at
 * an affected version, half at the fixed one), the rest packages no advisory names; a two-level dependency graph.
 */
export const syntheticSbom = (advisories: Json[], total: number): { text: string; matchable: number } => {
  const picked = new Map<string, { ecosystem: string; name: string; version: string }>();
  const wantMatchable = Math.floor(total * 0.3);
  let flip = 0;
  for (const doc of advisories) {
    if (picked.size >= wantMatchable) {
      break;
    }
    for (const a of (doc.affected as OsvAffected[] | undefined) ?? []) {
      const pkg = a.package;
      if (!pkg || !PURL_TYPES[pkg.ecosystem] || picked.has(`${pkg.ecosystem}/${pkg.name}`)) {
        continue;
      }
      const v = versionsOf(a);
      const version = flip++ % 2 === 0 ? (v.affected ?? v.fixed) : (v.fixed ?? v.affected);
      if (version) {
        picked.set(`${pkg.ecosystem}/${pkg.name}`, { ecosystem: pkg.ecosystem, name: pkg.name, version });
      }
    }
  }
  const components: Json[] = [];
  let i = 0;
  for (const p of picked.values()) {
    components.push({
      type: 'library',
      'bom-ref': `c${i}`,
      name: p.name,
      version: p.version,
      purl: purlOf(p.ecosystem, p.name, p.version),
      supplier: { name: `Supplier ${i % 97}` },
      licenses: [{ license: { id: i % 3 === 0 ? 'MIT' : i % 3 === 1 ? 'Apache-2.0' : 'BSD-3-Clause' } }],
      hashes: [{ alg: 'SHA-256', content: hex64(i) }],
    });
    i++;
  }
  const matchable = components.length;
  while (components.length < total) {
    components.push({
      type: 'library',
      'bom-ref': `c${i}`,
      name: `medsec-internal-lib-${i}`,
      version: `1.${i % 10}.${i % 7}`,
      purl: `pkg:npm/%40medsec/internal-lib-${i}@1.${i % 10}.${i % 7}`,
      supplier: { name: 'MedSec Devices' },
      licenses: [{ license: { name: 'MedSec proprietary licence' } }],
      hashes: [{ alg: 'SHA-256', content: hex64(i) }],
    });
    i++;
  }
  const top = components.slice(0, 100).map((c) => String(c['bom-ref']));
  const dependencies = [
    { ref: 'device-firmware', dependsOn: top },
    ...top.map((ref, k) => ({
      ref,
      dependsOn: components
        .slice(100)
        .filter((_, j) => j % 100 === k)
        .map((c) => String(c['bom-ref'])),
    })),
  ];
  const bom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
    version: 1,
    metadata: {
      timestamp: '2026-12-01T00:00:00Z',
      component: {
        type: 'firmware',
        'bom-ref': 'device-firmware',
        name: 'Synthetic infusion pump',
        version: '4.2.0',
      },
      supplier: { name: 'MedSec Devices' },
      authors: [{ name: 'Benchmark generator' }],
    },
    components,
    dependencies,
  };
  return { text: JSON.stringify(bom), matchable };
};

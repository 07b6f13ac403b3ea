import type { CompletenessReport } from '@medsec/core';
import { describe, expect, it } from 'vitest';
import { resultNumbers } from './job-result.ts';
import { coverage, exportHref, formatLabel, splitFindingKey } from './sboms-api.ts';

const report = (present: number, total: number): CompletenessReport => ({
  componentCount: total,
  elements: {
    supplier: { present, missing: [] },
    name: { present: total, missing: [] },
    version: { present: total, missing: [] },
    uniqueIdentifier: { present: total, missing: [] },
    dependencyRelationship: { present: 0, missing: [] },
    supportLevel: { present: 0, missing: [] },
    endOfSupport: { present: 0, missing: [] },
  },
  document: { author: true, timestamp: true },
  ntiaComplete: false,
  fdaComplete: false,
});

describe('SBOM page helpers', () => {
  it('gives element coverage as a percentage with one decimal, 0 without components', () => {
    expect(coverage(report(54, 55), 'supplier')).toBe(98.2);
    expect(coverage(report(55, 55), 'name')).toBe(100);
    expect(coverage(report(0, 0), 'supplier')).toBe(0);
  });

  it('names the format, version and serialisation', () => {
    expect(formatLabel({ format: 'cyclonedx', sourceFormat: 'cyclonedx-json', specVersion: '1.4' })).toBe(
      'CycloneDX 1.4 (JSON)',
    );
    expect(formatLabel({ format: 'spdx', sourceFormat: 'spdx-tag-value', specVersion: '2.3' })).toBe(
      'SPDX 2.3 (tag-value)',
    );
    expect(formatLabel({ format: 'spdx', sourceFormat: 'spdx-3-jsonld', specVersion: '3.0.1' })).toBe(
      'SPDX 3.0.1 (JSON-LD)',
    );
  });

  it('splits the diff finding keys into vulnerability and component (component names may have spaces)', () => {
    expect(splitFindingKey('GHSA-5crp-9r3c-p9vr Newtonsoft.Json')).toEqual({
      vulnerability: 'GHSA-5crp-9r3c-p9vr',
      component: 'Newtonsoft.Json',
    });
    expect(splitFindingKey('CVE-2020-1 Microsoft Visual C++')).toEqual({
      vulnerability: 'CVE-2020-1',
      component: 'Microsoft Visual C++',
    });
  });

  it('builds export links', () => {
    expect(exportHref('abc', 'spdx-json')).toBe('/api/v1/sboms/abc/export?format=spdx-json');
  });

  it('lists the numbers of a job result, nested summaries and error lists included', () => {
    expect(
      resultNumbers({
        read: 8,
        created: 8,
        errors: [],
        rematch: { created: 2, retracted: 0 },
        catalogVersion: '2025.01.01',
      }),
    ).toEqual([
      { key: 'read', value: 8 },
      { key: 'created', value: 8 },
      { key: 'rematch.created', value: 2 },
      { key: 'rematch.retracted', value: 0 },
    ]);
    expect(resultNumbers({ errors: [{ origin: 'a', message: 'b' }] })).toEqual([{ key: 'errors', value: 1 }]);
    // jsonb keeps keys by length: shown read first, then what changed
    expect(
      resultNumbers({ created: 2, updated: 0, retracted: 0, advisories: 2, components: 49 }).map(
        (n) => n.key,
      ),
    ).toEqual(['components', 'advisories', 'created', 'updated', 'retracted']);
    expect(resultNumbers(null)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { createIssueSink } from './issues.ts';
import { parseJsonText } from './json-text.ts';
import {
  isCpe,
  joinLicenses,
  normalizeHash,
  normalizeLicenseExpression,
  normalizePurl,
  parseSpdxParty,
  readFdaProperties,
  splitLicenseConjunction,
  stripPurlVersion,
} from './normalize.ts';
import { thrown } from './sboms.testing.ts';

describe('licence expressions', () => {
  it.each([
    ['MIT', 'MIT'],
    ['(LGPL-2.0-only OR LicenseRef-3)', 'LGPL-2.0-only OR LicenseRef-3'],
    ['MIT and Apache-2.0', 'MIT AND Apache-2.0'],
    ['MIT AND (Apache-2.0 OR BSD-3-Clause)', 'MIT AND (Apache-2.0 OR BSD-3-Clause)'],
    ['MIT AND Apache-2.0 OR GPL-2.0+', '(MIT AND Apache-2.0) OR GPL-2.0+'],
    ['GPL-2.0-or-later WITH Classpath-exception-2.0', 'GPL-2.0-or-later WITH Classpath-exception-2.0'],
    ['DocumentRef-x:LicenseRef-y', 'DocumentRef-x:LicenseRef-y'],
  ])('%s → %s', (raw, canonical) => {
    expect(normalizeLicenseExpression(raw)).toEqual({ expression: canonical });
  });

  it.each(['Apache-2', 'GPLv2+', 'BSD-3-Clause, GPL-2.0', 'NOASSERTION', ''])('refuses %j', (raw) => {
    expect(normalizeLicenseExpression(raw)).toHaveProperty('error');
  });

  it('joins declared licences with AND and splits plain conjunctions again', () => {
    expect(joinLicenses(['MIT', 'Apache-2.0 OR BSD-2-Clause', 'MIT'])).toBe(
      'MIT AND (Apache-2.0 OR BSD-2-Clause)',
    );
    expect(joinLicenses([])).toBeUndefined();
    expect(splitLicenseConjunction('EPL-2.0 AND LicenseRef-x')).toEqual(['EPL-2.0', 'LicenseRef-x']);
    expect(splitLicenseConjunction('EPL-2.0 OR MIT')).toBeUndefined();
    expect(splitLicenseConjunction('GPL-2.0+')).toBeUndefined();
  });
});

describe('purls, hashes, CPEs, parties, FDA properties', () => {
  it('canonicalises purls and names the fault of a bad one', () => {
    expect(normalizePurl('pkg:NPM/Foo@1.0')).toEqual({ purl: 'pkg:npm/foo@1.0' });
    expect(normalizePurl('pkg:oci/mandrel@sha256%3A65c1?arch=amd64')).toEqual({
      purl: 'pkg:oci/mandrel@sha256:65c1?arch=amd64',
    });
    expect(normalizePurl('https://github.com/actions/virtual-environments')).toHaveProperty('error');
    expect(stripPurlVersion('pkg:rpm/redhat/vim@9.1-5.el10?arch=x86_64')).toBe('pkg:rpm/redhat/vim');
  });

  it('accepts every spelling of an algorithm and checks the digest length', () => {
    expect(normalizeHash('SHA256', 'AB'.repeat(32))).toEqual({ alg: 'SHA-256', value: 'ab'.repeat(32) });
    expect(normalizeHash('sha3_256', 'a'.repeat(64))).toEqual({ alg: 'SHA3-256', value: 'a'.repeat(64) });
    expect(normalizeHash('BLAKE2b-384', 'a'.repeat(96))).toEqual({
      alg: 'BLAKE2b-384',
      value: 'a'.repeat(96),
    });
    // Red Hat's published SHA-256 with its leading zeros lost
    expect(
      normalizeHash('SHA256', 'b2fd68651aa7d544e53676f99f9017cf241b855bcdc2400d81081bba6f329a'),
    ).toHaveProperty('error');
    expect(normalizeHash('FOO', 'a'.repeat(32))).toHaveProperty('error');
  });

  it('checks CPE structure but tolerates unescaped generator output', () => {
    expect(isCpe('cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*')).toBe(true);
    expect(isCpe('cpe:2.3:a:Azure:go-autorest:v14.2.0+incompatible:*:*:*:*:*:*:*')).toBe(true);
    expect(isCpe('cpe:/a:example:myapplication:1.0.0')).toBe(true);
    expect(isCpe('cpe:2.3:a:only:five:parts')).toBe(false);
    expect(isCpe('wolfssl')).toBe(false);
  });

  it('reads SPDX parties', () => {
    expect(parseSpdxParty('Person: Jane Doe (jane.doe@example.com)')).toEqual({
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
      kind: 'person',
    });
    expect(parseSpdxParty('Organization: ExampleCodeInspect ()')).toEqual({
      name: 'ExampleCodeInspect',
      kind: 'organization',
    });
    expect(parseSpdxParty('NOASSERTION')).toBeUndefined();
  });

  it('finds FDA support fields under their usual names', () => {
    expect(
      readFdaProperties([
        { name: 'End-of-Support', value: '2027-12-31' },
        { name: 'Level of Support', value: 'Actively maintained' },
      ]),
    ).toEqual({ endOfSupport: '2027-12-31', supportLevel: 'Actively maintained' });
    expect(
      readFdaProperties([
        { name: 'fda:supportLevel', value: 'x' },
        { name: 'EOL', value: 'y' },
      ]),
    ).toEqual({ supportLevel: 'x', endOfSupport: 'y' });
    expect(readFdaProperties([{ name: 'cdx:npm:package', value: 'z' }])).toEqual({});
  });
});

describe('parseJsonText', () => {
  it('names line and column of a syntax error in both modes', () => {
    for (const lenient of [false, true]) {
      const error = thrown(() => parseJsonText('{\n  "a": [1, 2\n  "b": 3\n}', createIssueSink(lenient)));
      expect(error.detail).toContain("Expected ',' or ']' at line 3 column 3");
      expect(error.errors?.[0]?.path).toBe('line 3');
    }
  });

  it('repairs trailing commas and trailing text in lenient mode only', () => {
    const sink = createIssueSink(true);
    expect(parseJsonText('{"a": [1, 2,], "b": {"c": 1,},}\nfooter', sink)).toEqual({
      a: [1, 2],
      b: { c: 1 },
    });
    expect(sink.issues.map((i) => i.line)).toEqual([1, 1, 1, 2]);
    expect(thrown(() => parseJsonText('{"a": 1}\nfooter', createIssueSink(false))).errors?.[0]?.path).toBe(
      'line 2',
    );
  });

  it('refuses broken JSON even leniently when a repair does not suffice', () => {
    expect(thrown(() => parseJsonText('{"a": [1,], "b": }', createIssueSink(true))).detail).toContain(
      'cannot be repaired',
    );
  });
});

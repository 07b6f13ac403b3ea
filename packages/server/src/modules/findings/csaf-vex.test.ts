import { buildCsafVex, type CsafVexFinding, type CsafVexVulnerability } from '@medsec/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { csafTests, validateCsaf } from './csaf.validate.ts';

/**
 * The core VEX builder against the CSAF validator, one vulnerability per VEX state and remediation choice: every
 * document must pass the schema and all mandatory tests, including the VEX profile's 6.1.27.6–11.
 */
const finding = (patch: Partial<CsafVexFinding>): CsafVexFinding => ({
  component: 'openssl',
  componentVersion: '3.0.1',
  purl: 'pkg:generic/openssl@3.0.1',
  state: 'under_investigation',
  justification: null,
  impactStatement: null,
  actionStatement: null,
  remediation: 'none',
  ...patch,
});
const vuln = (id: string, findings: CsafVexFinding[]): CsafVexVulnerability => ({
  id,
  aliases: [],
  summary: `${id} in openssl`,
  cwes: ['CWE-787'],
  cweNames: { 'CWE-787': 'Out-of-bounds Write' },
  cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, severity: 'critical' },
  findings,
});
const build = (vulnerabilities: CsafVexVulnerability[]) =>
  buildCsafVex({
    trackingId: 'MSW-VEX-IP-100-1.0',
    title: 'VEX for Insulin pump IP-100 1.0',
    publisher: { name: 'Example Medical', namespace: 'https://medsec.example/' },
    product: { name: 'Insulin pump', model: 'IP-100' },
    release: { version: '1.0' },
    vulnerabilities,
    status: 'final',
    version: '1',
    initialReleaseDate: '2026-12-01T00:00:00Z',
    currentReleaseDate: '2026-12-01T00:00:00Z',
    revisionHistory: [{ date: '2026-12-01T00:00:00Z', number: '1', summary: 'Initial version' }],
  }) as {
    document: { category: string };
    vulnerabilities: {
      product_status: Record<string, string[]>;
      flags?: { label: string }[];
      threats?: { category: string; details: string }[];
      remediations?: { category: string; details: string }[];
      scores?: unknown[];
    }[];
  };

describe('CSAF VEX builder', () => {
  // the validator library compiles its schemas on first use (seconds on a busy machine): not part of any test's time
  beforeAll(() => csafTests(), 120_000);
  it('states each VEX state with what the profile requires, and passes the validator', async () => {
    const doc = build([
      vuln('CVE-2022-0001', [
        finding({
          state: 'affected',
          actionStatement: 'Disable the remote service port.',
          remediation: 'none',
        }),
      ]),
      vuln('CVE-2022-0002', [finding({ state: 'affected', remediation: 'wont-fix' })]),
      vuln('CVE-2022-0003', [finding({ state: 'affected', remediation: 'in-progress' })]),
      vuln('CVE-2022-0004', [finding({ state: 'not_affected', justification: 'component_not_present' })]),
      vuln('CVE-2022-0005', [
        finding({ state: 'not_affected', impactStatement: 'TLS is terminated by the hub.' }),
      ]),
      vuln('CVE-2022-0006', [finding({ state: 'fixed' })]),
      vuln('CVE-2022-0007', [finding({}), finding({ component: 'zlib', state: 'not_affected' })]),
      vuln('GHSA-abcd-efgh-ijkl', [finding({ state: 'affected' })]),
    ]);
    expect(doc.document.category).toBe('csaf_vex');
    const check = await validateCsaf(doc);
    expect(check.errors).toEqual([]);
    const [mitigation, noFix, vendorFix, flagged, impact, fixed, investigating, noneAvailable] =
      doc.vulnerabilities;
    expect(mitigation!.remediations).toEqual([
      expect.objectContaining({ category: 'mitigation', details: 'Disable the remote service port.' }),
    ]);
    expect(noFix!.remediations?.[0]?.category).toBe('no_fix_planned');
    expect(vendorFix!.remediations?.[0]?.category).toBe('vendor_fix');
    expect(flagged!.flags).toEqual([expect.objectContaining({ label: 'component_not_present' })]);
    expect(flagged!.threats?.[0]?.details).toMatch(/not present/);
    expect(impact!.flags).toBeUndefined();
    expect(impact!.threats?.[0]).toEqual(
      expect.objectContaining({ category: 'impact', details: 'TLS is terminated by the hub.' }),
    );
    expect(Object.keys(fixed!.product_status)).toEqual(['fixed']);
    expect(fixed!.scores).toBeUndefined();
    // the worst state of a release's findings wins
    expect(Object.keys(investigating!.product_status)).toEqual(['under_investigation']);
    expect(noneAvailable!.remediations?.[0]?.category).toBe('none_available');
  });

  it('is refused by the profile tests when an affected product has no action statement', async () => {
    const doc = build([vuln('CVE-2022-0001', [finding({ state: 'affected' })])]);
    delete doc.vulnerabilities[0]!.remediations;
    const r = await validateCsaf(doc);
    expect(r.isValid).toBe(false);
    expect(r.errors.map((e) => e.test)).toContain('mandatoryTest_6_1_27_10');
  });
});

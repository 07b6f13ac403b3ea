import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpus } from '../../core/src/testing/corpora.ts';

/**
 * `medsec sbom validate FILE --json` on bad input: the real-world malformed SBOMs, XSD errors with their line, and
 * the size and component limits. No database is opened.
 */
const BIN = fileURLToPath(new URL('../bin/medsec.js', import.meta.url));

const validate = (file: string, extra: string[] = [], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [BIN, 'sbom', 'validate', file, '--json', ...extra], {
    env: {
      ...process.env,
      MEDSEC_LOG_LEVEL: 'silent',
      DATABASE_URL: '',
      MEDSEC_DATA_DIR: '/nonexistent-dir',
      ...env,
    },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, json: () => JSON.parse(r.stdout) as Record<string, unknown>, stderr: r.stderr };
};

const MANDREL = corpus(
  'sbom',
  'redhat',
  'container_image',
  'build',
  'mandrel-for-jdk-21-rhel8-container-23.1-16_amd64.cdx.json',
);
const POWERSHELL = corpus('sbom', 'bom-shelter', 'in-the-wild', 'spdx', 'powershell-2.2.6.spdx.json');
const GRYPE = corpus('sbom', 'bom-shelter', 'in-the-wild', 'spdx', 'grype-sbom-modified.spdx.json');
const NARROW = corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json');

// each run boots the CLI (seconds on a loaded machine): generous timeouts
describe('medsec sbom validate on bad input', { timeout: 300_000 }, () => {
  it('refuses the Red Hat mandrel SBOM (trailing comma) at line 99; --lenient says what would be imported', () => {
    const strict = validate(MANDREL);
    expect(strict.code).toBe(3);
    expect(strict.json()).toEqual({
      format: 'cyclonedx',
      specVersion: '',
      valid: false,
      components: 0,
      errors: [{ line: 99, message: expect.stringMatching(/Trailing comma at line 99 column 96/) }],
    });
    const lenient = validate(MANDREL, ['--lenient']);
    expect(lenient.code).toBe(3);
    expect(lenient.json()).toMatchObject({
      format: 'cyclonedx',
      specVersion: '1.6',
      valid: false,
      importable: true,
      components: 3,
      errors: expect.arrayContaining([{ line: 99, message: expect.stringMatching(/Trailing comma/) }]),
    });
  });

  it('refuses the PowerShell SPDX SBOM (trailing junk) at line 2765; --lenient keeps its 108 packages', () => {
    const strict = validate(POWERSHELL);
    expect(strict.code).toBe(3);
    expect(strict.json()).toMatchObject({
      format: 'spdx',
      valid: false,
      errors: [{ line: 2765, message: expect.stringMatching(/Text after the end of the JSON document/) }],
    });
    const lenient = validate(POWERSHELL, ['--lenient']);
    expect(lenient.json()).toMatchObject({
      format: 'spdx',
      specVersion: '2.2',
      importable: true,
      components: 108,
      errors: [{ line: 2765, message: expect.any(String) }],
    });
  });

  it('reads the tag-value SBOM named .json by its content and warns about the name', () => {
    const r = validate(GRYPE);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      format: 'spdx',
      valid: true,
      errors: [],
      warnings: [expect.stringMatching(/suggests JSON, but the content is spdx-tag-value/)],
    });
  });

  it('checks CycloneDX XML against the XSD and gives the line', () => {
    const r = validate(corpus('sbom', 'cyclonedx-conformance', '1.6', 'invalid-service-data-1.6.xml'));
    expect(r.code).toBe(3);
    expect(r.json()).toMatchObject({
      format: 'cyclonedx',
      specVersion: '1.6',
      valid: false,
      errors: [{ line: 7, message: expect.stringMatching(/'flow'.*'foo'/) }],
    });
    const ok = validate(
      corpus('sbom', 'cyclonedx', 'bom-examples', 'SBOM', 'juice-shop', 'via_npm', 'bare', 'bom.1.4.xml'),
    );
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ format: 'cyclonedx', specVersion: '1.4', valid: true, errors: [] });
  });

  it('honours MEDSEC_SBOM_MAX_BYTES and MEDSEC_SBOM_MAX_COMPONENTS', () => {
    const big = validate(NARROW, [], { MEDSEC_SBOM_MAX_BYTES: '4096' });
    expect(big.code).toBe(3);
    expect(big.json()).toMatchObject({
      valid: false,
      errors: [{ path: '/', message: expect.stringMatching(/over the limit of 4096 bytes/) }],
    });
    const many = validate(NARROW, [], { MEDSEC_SBOM_MAX_COMPONENTS: '10' });
    expect(many.code).toBe(3);
    expect(many.json()).toMatchObject({
      valid: false,
      errors: [
        { path: '/components', message: expect.stringMatching(/55 components, over the limit of 10/) },
      ],
    });
    expect(validate(NARROW).json()).toEqual({
      format: 'cyclonedx',
      specVersion: '1.4',
      valid: true,
      components: 55,
      errors: [],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { diffSboms, identifyComponent } from './diff.ts';
import { parseSbom } from './parse.ts';
import { SbomDiffSchema } from './sboms.schemas.ts';
import { sbomOf, sbomText } from './sboms.testing.ts';

const CASE_STUDY = ['medical', 'sbom-completeness', 'sboms', 'case-study'];
const KEYCLOAK = ['cyclonedx', 'bom-examples', 'SBOM', 'keycloak-10.0.2', 'bom.json'];

describe('diffSboms', () => {
  it('finds exactly the ten parts the extended medical SBOM adds to the narrow one', () => {
    const diff = diffSboms(
      sbomOf([...CASE_STUDY, 'narrow.sbom.json']),
      sbomOf([...CASE_STUDY, 'extended.sbom.json']),
    );
    expect(SbomDiffSchema.parse(diff)).toEqual(diff);
    expect(diff.added.map((c) => `${c.name}@${c.version ?? ''}`).sort()).toEqual([
      'ARM Cortex-M4 Microcontroller@',
      'EdgeOS@2.0.9-hotfix.7',
      'EdgeRouter X@',
      'FreeRTOS@10.0.1',
      'MediaTek MT7621@',
      'RS9113 WiseConnect SDK@1.7.16',
      'Silicon Labs RS9113@',
      'UAP-AC-Pro@',
      'UniFi Access Point@6.6.73',
      'UniFi Network Application@8.3.32',
    ]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(diff.unchanged).toBe(55);
  });

  it('reports exactly the edits made to a copy of the keycloak SBOM (903 components, jetty ×8)', () => {
    const original = sbomText(...KEYCLOAK);
    const doc = JSON.parse(original) as { components: Record<string, unknown>[] };
    const [bcprov, , jbossLogging, activation, keycloakCommon] = doc.components as [
      Record<string, unknown>,
      unknown,
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    bcprov.licenses = [{ license: { id: 'MIT' } }];
    jbossLogging.version = '3.4.2.Final';
    jbossLogging.purl = 'pkg:maven/org.jboss.logging/jboss-logging@3.4.2.Final?type=jar';
    const hashes = keycloakCommon.hashes as { alg: string; content: string }[];
    const sha256 = hashes.find((h) => h.alg === 'SHA-256') as { content: string };
    sha256.content = '0'.repeat(64);
    doc.components = doc.components.filter((c) => c !== activation);
    doc.components.push({
      type: 'library',
      group: 'org.apache.logging.log4j',
      name: 'log4j-core',
      version: '2.17.1',
      purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1?type=jar',
    });
    // lenient: the dependency entries of the removed component now dangle
    const diff = diffSboms(parseSbom(original), parseSbom(JSON.stringify(doc), { lenient: true }));
    expect(diff.added.map((c) => c.name)).toEqual(['log4j-core']);
    expect(diff.removed.map((c) => c.name)).toEqual(['jakarta.activation']);
    expect(diff.changed.map((c) => [c.after.name, c.changes.map((x) => x.field)])).toEqual([
      ['bcprov-jdk15on', ['licenses']],
      ['jboss-logging', ['version']],
      ['keycloak-common', ['hashes']],
    ]);
    expect(diff.changed[0]?.changes[0]).toEqual({
      field: 'licenses',
      before: 'Bouncy Castle Licence',
      after: 'MIT',
    });
    expect(diff.changed[1]?.changes[0]).toEqual({
      field: 'version',
      before: '3.4.1.Final',
      after: '3.4.2.Final',
    });
    expect(diff.unchanged).toBe(903 - 1 - 3);
  });

  it('finds nothing between the same SBOM in JSON and in XML', () => {
    const base = ['cyclonedx', 'bom-examples', 'SBOM', 'laravel-7.12.0'];
    const diff = diffSboms(sbomOf([...base, 'bom.1.4.json']), sbomOf([...base, 'bom.1.4.xml']));
    expect(diff).toMatchObject({ added: [], removed: [], changed: [], unchanged: 62 });
  });

  it('identifies by purl without version and qualifiers, else by group and name', () => {
    const c = {
      key: 'k',
      type: 'library' as const,
      name: 'Foo',
      hashes: [],
      licenseNames: [],
      properties: [],
    };
    expect(identifyComponent({ ...c, purl: 'pkg:maven/g/foo@1.0?type=jar' })).toBe('pkg:maven/g/foo');
    expect(identifyComponent({ ...c, group: 'G' })).toBe('name:g/foo');
  });
});

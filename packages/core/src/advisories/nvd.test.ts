import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from '../testing/corpora.ts';
import { readJson } from './advisories.testing.ts';
import { parseCpe } from './cpe.ts';
import type { CpeComponent } from './nvd.schemas.ts';
import { evaluateNvdConfigurations, nvdConfigurationsOf } from './nvd.ts';

const nvd = (id: string) =>
  nvdConfigurationsOf(readJson(corpus('catalogs', 'cve-nvd-samples', 'nvd-api-2.0', `${id}.json`)));
const evaluate = (id: string, ...components: CpeComponent[]) =>
  evaluateNvdConfigurations(nvd(id), components);
const app = (vendorProduct: string, version: string, rest = '*:*:*:*:*:*:*') => ({
  cpe: `cpe:2.3:a:${vendorProduct}:${version}:${rest}`,
});

describe('NVD configuration evaluation on the real NVD API 2.0 records (catalogs/cve-nvd-samples)', () => {
  it('reads every record', () => {
    const files = readdirSync(corpus('catalogs', 'cve-nvd-samples', 'nvd-api-2.0'));
    expect(files).toHaveLength(23);
    const counts = files.map(
      (f) => nvdConfigurationsOf(readJson(corpus('catalogs', 'cve-nvd-samples', 'nvd-api-2.0', f))).length,
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(31);
  });

  it('a version inside a vulnerable range matches, the fixed version does not (every ranged criterion)', () => {
    const files = readdirSync(corpus('catalogs', 'cve-nvd-samples', 'nvd-api-2.0'));
    let checked = 0;
    for (const file of files) {
      const configurations = nvdConfigurationsOf(
        readJson(corpus('catalogs', 'cve-nvd-samples', 'nvd-api-2.0', file)),
      );
      for (const configuration of configurations.filter((c) => c.nodes.length === 1)) {
        for (const m of configuration.nodes[0]?.cpeMatch ?? []) {
          if (!m.vulnerable || !m.versionEndExcluding) {
            continue;
          }
          const name = parseCpe(m.criteria);
          const base = `cpe:2.3:${[name.part, name.vendor, name.product].map((v) => (v.kind === 'value' ? v.quoted : '*')).join(':')}`;
          const tail = m.criteria.split(':').slice(6).join(':');
          const inside = m.versionStartIncluding ?? `${m.versionEndExcluding.split('.')[0]}.0`;
          const fixed = evaluateNvdConfigurations(
            [configuration],
            [{ cpe: `${base}:${m.versionEndExcluding}:${tail}` }],
          );
          const vulnerable = evaluateNvdConfigurations(
            [configuration],
            [{ cpe: `${base}:${inside}:${tail}` }],
          );
          expect([file, m.criteria, vulnerable.status]).toEqual([file, m.criteria, 'affected']);
          expect(fixed.matches.filter((d) => d.criteria === m.criteria)).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('CVE-2016-1585 (AppArmor): each range is honoured and the reason is recorded', () => {
    const hit = evaluate('CVE-2016-1585', app('canonical:apparmor', '3.0.5'));
    expect(hit.status).toBe('affected');
    expect(hit.matches[0]).toMatchObject({
      versionRange: '>=3.0.0 <3.0.12',
      version: '3.0.5',
      confidence: 'high',
      vulnerable: true,
    });
    expect(evaluate('CVE-2016-1585', app('canonical:apparmor', '3.0.12')).status).toBe('not_affected');
    expect(evaluate('CVE-2016-1585', app('canonical:apparmor', '2.13.9')).status).toBe('affected');
    expect(evaluate('CVE-2014-1424', app('ubuntu:apparmor', '2.8.94-0ubuntu1.4')).status).toBe('affected');
    expect(evaluate('CVE-2014-1424', app('ubuntu:apparmor', '2.8.95')).status).toBe('not_affected');
  });

  it('CVE-2024-3094 (xz): exact versions only; false-positive guards on part, vendor and product', () => {
    expect(evaluate('CVE-2024-3094', app('tukaani:xz', '5.6.1')).status).toBe('affected');
    expect(evaluate('CVE-2024-3094', app('tukaani:xz', '5.4.6')).status).toBe('not_affected');
    expect(evaluate('CVE-2024-3094', { cpe: 'cpe:2.3:o:tukaani:xz:5.6.1:*:*:*:*:*:*:*' }).status).toBe(
      'not_affected',
    );
    expect(evaluate('CVE-2024-3094', { cpe: 'cpe:2.3:a:tukaani:*:5.6.1:*:*:*:*:*:*:*' }).status).toBe(
      'not_affected',
    );
    expect(evaluate('CVE-2024-3094', { cpe: 'cpe:2.3:a:*:xz:5.6.1:*:*:*:*:*:*:*' }).status).toBe(
      'not_affected',
    );
    expect(evaluate('CVE-2024-3094', { cpe: 'cpe:2.3:a:tukaani:xz:*:*:*:*:*:*:*:*' }).status).toBe('unknown');
    expect(
      evaluate('CVE-2024-3094', { cpe: 'cpe:2.3:a:tukaani:xz:*:*:*:*:*:*:*:*', version: '5.6.0' }).status,
    ).toBe('affected');
  });

  it('CVE-2020-13595 (ESP-IDF AND esp32 hardware): needs the platform; without it the result is unknown', () => {
    const idf = app('espressif:esp-idf', '4.1');
    const alone = evaluate('CVE-2020-13595', idf);
    expect(alone.status).toBe('unknown');
    expect(alone.missingPlatforms).toEqual(['cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*']);
    const withBoard = evaluate('CVE-2020-13595', idf, { cpe: 'cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*' });
    expect(withBoard.status).toBe('affected');
    expect(withBoard.matches.map((m) => m.componentCpe)).toEqual([idf.cpe]);
    expect(
      evaluate('CVE-2020-13595', app('espressif:esp-idf', '4.3'), {
        cpe: 'cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*',
      }).status,
    ).toBe('not_affected');
    expect(
      evaluate('CVE-2020-13595', idf, { cpe: 'cpe:2.3:h:espressif:esp8266:-:*:*:*:*:*:*:*' }).status,
    ).toBe('unknown');
    const firmware = evaluate(
      'CVE-2023-24256',
      { cpe: 'cpe:2.3:o:nio:aspen:3.2.0:*:*:*:*:*:*:*' },
      { cpe: 'cpe:2.3:h:nio:ec6:-:*:*:*:*:*:*:*' },
    );
    expect(firmware.status).toBe('affected');
  });

  it('target_sw, sw_edition, update and "-" versions', () => {
    const smoothie = evaluate('CVE-2022-25929', app('smoothiecharts:smoothie_charts', '1.35.0'));
    expect(smoothie.status).toBe('affected');
    expect(smoothie.matches[0]?.confidence).toBe('medium');
    expect(smoothie.matches[0]?.notes.join()).toMatch(/targetSw=node\.js/);
    expect(
      evaluate('CVE-2022-25929', app('smoothiecharts:smoothie_charts', '1.35.0', '*:*:*:*:python:*:*'))
        .status,
    ).toBe('not_affected');
    expect(
      evaluate('CVE-2022-25929', app('smoothiecharts:smoothie_charts', '1.35.0', '*:*:*:*:node.js:*:*'))
        .matches[0]?.confidence,
    ).toBe('high');
    expect(
      evaluate('CVE-2022-0090', app('gitlab:gitlab', '14.5.1', '*:*:*:community:*:*:*')).matches[0]
        ?.confidence,
    ).toBe('high');
    expect(evaluate('CVE-2022-0090', app('gitlab:gitlab', '14.5.1')).matches[0]?.confidence).toBe('medium');
    expect(
      evaluate('CVE-2022-0090', app('gitlab:gitlab', '14.5.1', '*:*:*:enterprise_plus:*:*:*')).status,
    ).toBe('not_affected');
    expect(evaluate('CVE-2022-29194', app('google:tensorflow', '2.9.0')).status).toBe('not_affected');
    expect(evaluate('CVE-2022-29194', app('google:tensorflow', '2.9.0-rc0')).status).toBe('affected');
    expect(evaluate('CVE-2022-29194', app('google:tensorflow', '2.9.0', 'rc0:*:*:*:*:*:*')).status).toBe(
      'affected',
    );
    expect(evaluate('CVE-2022-29194', app('google:tensorflow', '2.9.0', 'rc3:*:*:*:*:*:*')).status).toBe(
      'not_affected',
    );
    expect(evaluate('CVE-2022-2956', app('noxen_project:noxen', '1.0')).matches[0]?.confidence).toBe('low');
  });

  it('finds no false positive among the 65 components of the medical-device SBOM', () => {
    const sbom = readJson(
      corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'extended.sbom.json'),
    ) as {
      components: { cpe?: string; version?: string; name: string }[];
    };
    const components = sbom.components.flatMap((c) =>
      c.cpe ? [{ cpe: c.cpe, ref: c.name, ...(c.version ? { version: c.version } : {}) }] : [],
    );
    const files = readdirSync(corpus('catalogs', 'cve-nvd-samples', 'nvd-api-2.0'));
    const results = files.map((f) =>
      evaluateNvdConfigurations(
        nvdConfigurationsOf(readJson(corpus('catalogs', 'cve-nvd-samples', 'nvd-api-2.0', f))),
        components,
      ),
    );
    expect(results.map((r) => r.status)).toEqual(files.map(() => 'not_affected'));
    expect(results.flatMap((r) => r.rejected)).toEqual([]);
  });
});

describe('legacy NVD 1.1 feed configurations', () => {
  it('converts nodes with children and evaluates them', () => {
    const feed = readJson(
      corpus('catalogs', 'cve-nvd-samples', 'nvd-feed-1.1', 'nvdcve-1.1-test-data.json.gz'),
    ) as {
      CVE_Items: { cve: { CVE_data_meta: { ID: string } }; configurations: unknown }[];
    };
    expect(feed.CVE_Items).toHaveLength(669);
    const all = feed.CVE_Items.map((item) => nvdConfigurationsOf(item));
    expect(all.flat()).toHaveLength(418);
    expect(all.flat().filter((c) => c.operator === 'AND' && c.nodes.length > 1)).toHaveLength(148);
    const gitlab = all[feed.CVE_Items.findIndex((i) => i.cve.CVE_data_meta.ID === 'CVE-2022-0090')] ?? [];
    expect(
      evaluateNvdConfigurations(gitlab, [app('gitlab:gitlab', '14.6.0', '*:*:*:community:*:*:*')]).status,
    ).toBe('affected');
  });
});

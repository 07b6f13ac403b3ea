import { describe, expect, it } from 'vitest';
import { corpus } from '../testing/corpora.ts';
import { readJson } from './advisories.testing.ts';
import { compareCpeNames, compareCpeValues, formatCpe, isCpeMatch, parseCpe, tryParseCpe } from './cpe.ts';

const value = (raw: string) => parseCpe(`cpe:2.3:a:v:p:${raw}:*:*:*:*:*:*:*`).version;

describe('parseCpe (NISTIR 7695 formatted string)', () => {
  it('parses attributes, logical values and escapes', () => {
    const name = parseCpe('cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*');
    expect(name.vendor).toMatchObject({ kind: 'value', text: 'hp' });
    expect(name.update).toEqual({ kind: 'na' });
    expect(name.edition).toEqual({ kind: 'any' });
    expect(name.swEdition).toMatchObject({ text: 'online' });
    expect(name.targetHw).toMatchObject({ text: 'x64' });
    const escaped = parseCpe(
      'cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:special:ipod_touch:80gb:*',
    );
    expect(escaped.vendor).toMatchObject({ text: 'foo\\bar', quoted: 'foo\\\\bar' });
    expect(escaped.product).toMatchObject({ text: 'big$money_manager_2010' });
    expect(parseCpe('cpe:2.3:a:a\\:b:c:*:*:*:*:*:*:*:*').vendor).toMatchObject({ text: 'a:b' });
  });

  it('is case-insensitive and treats optional escapes of . - _ as the plain character', () => {
    expect(formatCpe(parseCpe('cpe:2.3:A:Microsoft:Internet_Explorer:8\\.0:*:*:*:*:*:*:*'))).toBe(
      'cpe:2.3:a:microsoft:internet_explorer:8.0:*:*:*:*:*:*:*',
    );
  });

  it('keeps wildcards only at the start or end', () => {
    expect(value('8.*')).toMatchObject({ wildcards: true });
    expect(value('??8')).toMatchObject({ wildcards: true });
    expect(() => value('8.*.1')).toThrow(/start or end/);
    expect(value('8.\\*.1')).toMatchObject({ wildcards: false, text: '8.*.1' });
  });

  it.each([
    ['cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*', /11 attributes/],
    ['cpe:2.3:x:vendor:product:1.0:*:*:*:*:*:*:*', /part must be/],
    ['cpe:2.3:a:vendor:pro duct:1.0:*:*:*:*:*:*:*', /must be escaped/],
    ['cpe:2.3:a:vendor:c++:1.0:*:*:*:*:*:*:*', /must be escaped/],
    ['cpe:2.3:a:vendor::1.0:*:*:*:*:*:*:*', /empty/],
    ['cpe:2.2:a:vendor:product', /Not a CPE/],
  ])('rejects %s', (text, message) => {
    expect(() => parseCpe(text)).toThrow(message);
  });

  it('accepts unescaped punctuation in lenient mode (SBOM tools) and the 2.2 URI binding', () => {
    expect(parseCpe('cpe:2.3:a:vendor:c++:1.0:*:*:*:*:*:*:*', { lenient: true }).product).toMatchObject({
      text: 'c++',
      quoted: 'c\\+\\+',
    });
    const uri = parseCpe('cpe:/a:apache:http_server:2.4.1');
    expect(formatCpe(uri)).toBe('cpe:2.3:a:apache:http_server:2.4.1:*:*:*:*:*:*:*');
    expect(formatCpe(parseCpe('cpe:/o:microsoft:windows_7:-:sp1'))).toBe(
      'cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*',
    );
  });

  it('parses every CPE of the medical-device SBOM strictly', () => {
    const sbom = readJson(
      corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'extended.sbom.json'),
    ) as {
      components: { cpe?: string }[];
    };
    const cpes = sbom.components.flatMap((c) => (c.cpe ? [c.cpe] : []));
    expect(cpes).toHaveLength(65);
    expect(cpes.filter((c) => tryParseCpe(c) === undefined)).toEqual([]);
  });
});

describe('CPE name matching (NISTIR 7696)', () => {
  const ANY = { kind: 'any' } as const;
  const NA = { kind: 'na' } as const;
  it.each([
    // Table 6-2 attribute comparison: source, target → relation
    [ANY, ANY, 'EQUAL'],
    [ANY, NA, 'SUPERSET'],
    [ANY, 'i', 'SUPERSET'],
    [ANY, 'm*', 'UNDEFINED'],
    [NA, ANY, 'SUBSET'],
    [NA, NA, 'EQUAL'],
    [NA, 'i', 'DISJOINT'],
    [NA, 'm*', 'UNDEFINED'],
    ['i', ANY, 'SUBSET'],
    ['i', NA, 'DISJOINT'],
    ['i', 'k', 'DISJOINT'],
    ['i', 'm*', 'UNDEFINED'],
    ['m*', ANY, 'SUBSET'],
    ['m*', NA, 'DISJOINT'],
    ['m*', 'mi', 'SUPERSET'],
    ['m*', 'k', 'DISJOINT'],
    ['i', 'i', 'EQUAL'],
  ] as const)('%j vs %j → %s', (source, target, relation) => {
    const v = (x: typeof source | typeof target) => (typeof x === 'string' ? value(x) : x);
    expect(compareCpeValues(v(source), v(target))).toBe(relation);
  });

  it('reproduces the NISTIR 7696 example (IE 8.* sp? vs 8.0.6001 beta)', () => {
    const source = parseCpe('cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*');
    const target = parseCpe('cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*');
    expect(compareCpeNames(source, target)).toMatchObject({
      version: 'SUPERSET',
      update: 'DISJOINT',
      part: 'EQUAL',
    });
    expect(isCpeMatch(source, target)).toBe(false);
    expect(
      isCpeMatch(source, parseCpe('cpe:2.3:a:microsoft:internet_explorer:8.0.6001:sp2:*:*:*:*:*:*')),
    ).toBe(true);
    expect(
      isCpeMatch(
        parseCpe('cpe:2.3:a:microsoft:internet_explorer:?.0:*:*:*:*:*:*:*'),
        parseCpe('cpe:2.3:a:microsoft:internet_explorer:8.0:*:*:*:*:*:*:*'),
      ),
    ).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { compareApkVersions, isValidApkVersion } from './apk.ts';

/**
 * Lines of apk-tools' `test/version.data` (alpinelinux/apk-tools, the vectors its unit test feeds to
 * `apk_version_compare`), transcribed verbatim: `a <op> b`. A selection of 117 of its ~700 lines, keeping every
 * line that exercises suffixes, letters, leading zeros, revisions and invalid versions.
 */
const VERSION_DATA = `
2.34 > 0.1.0_alpha
23_foo > 4_beta
1.0 < 1.0bc
0.1.0_alpha = 0.1.0_alpha
0.1.0_alpha < 0.1.3_alpha
0.1.3_alpha > 0.1.0_alpha
0.1.0_alpha2 > 0.1.0_alpha
0.1.0_alpha < 2.2.39-r1
2.2.39-r1 > 1.0.4-r3
1.0.4-r3 < 1.0.4-r4
1.0.4-r4 < 1.6
1.1 > 1.1_alpha1
1.1_alpha1 < 1.2.1
1.2.1 > 1.2
1.2 < 1.3_alpha
1.3_alpha < 1.3_alpha2
1.3_alpha2 < 1.3_alpha3
1.3_alpha8 > 0.6.0
0.7.0 < 0.8_beta1
0.8_beta1 < 0.8_beta2
0.8_beta4 < 4.8-r1
4.8-r1 > 3.10.18-r1
3.10.18-r1 > 2.3.0b-r1
2.3.0b-r1 < 2.3.0b-r2
2.3.0b-r4 > 0.12.1
0.12.3 > 0.12
0.12 < 0.13_beta1
0.13_beta5 > 0.9.12
1.2.11 < 1.2.12.1
1.2.12.1 < 1.2.13
0.2.0-r1 < 3.1_p16
3.1_p16 < 3.1_p17
3.1_p17 > 1.06-r6
1.06-r6 < 006
006 > 1.0.0
1.2.2-r1 > 1.2.2
9.3.4-r2 > 9.3.4
2.59 < 20050718-r1
20050718-r1 < 20050718-r2
3.9.8-r5 > 2.01.01_alpha10
2.01.01_alpha10 > 0.94
0.94 < 1.0
1.0 > 0.99.3.20040818
1.39 > 1.00_beta2
4.2.52_p2-r1 < 4.2.52_p4-r2
4.2.52_p4-r2 > 1.02.07
1.02.07 < 1.02.10-r1
2.18.3-r10 > 1.05-r18
1.05-r18 < 1.05-r19
2.38 < 20050405
20060720 > 3.0.20060720
3.0.20060720 < 20060720
1.4.4-r1 < 2.1.9.200602141850
2.5.1-r8 < 2.5.1a-r1
1.3.5-r10 > 1.3.5-r8
20040401 > 2.0.0_rc3-r1
2.0.0_rc3-r1 > 1.5
0.99.163 < 2.6.15.20060110
3.0.0-r2 < 021109-r3
021109-r3 < 20060512
0.9.16-r1 < 3.9_pre20060124
3.9_pre20060124 > 0.01
1.1.7 < 6b-r7
6b-r7 > 1.12-r7
0.10.0-r1 > 0.10.0
0.10.0 < 0.10.1_rc1
0.10.1_rc1 > 0.9.11
2.0.2 > 1.1a
1.1a < 1.3a
1.0-r1 > 0.15.1b
0.15.1b < 1.0.1
1.06-r2 > 0.15.1b-r2
0.15.1b-r2 > 0.15.1b
22.7-r1 < 22.7.3-r1
22.7.3-r1 > 22.7
22.7 > 2.1_pre20
2.1_pre20 < 2.1_pre26
2.10.1 > 02.08.01b
02.08.01b < 4.77
3.81 > 1.6d
1.6d > 1.2.07.8
1.2.07.8 < 1.2.12.04
1.2.12.04 < 1.2.12.05
1.07-r1 < 1.07.5
1.07.5 > 1.07
20061003 > 0.1_pre20060810
0.1_pre20060810 < 0.1_pre20060817
3.3.17 > 0.59s-r11
0.59s-r11 < 0.65
4.20 > 0.20070118
0.20070118 < 0.20070207_rc1
0.20070207_rc1 < 1.0
2.3.30-r2 < 3.7_p1
4.3_p2-r1 < 4.3_p2-r5
4.5_p1-r1 > 4.5_p1
4.5_p1 > 0.9.8c-r1
0.9.8c-r1 < 0.9.8d
2.2.3-r2 < 013
013 < 014-r1
0.3.1_rc8 < 22.2
1.7 < 1.7b
1.7b < 1.8.4-r3
1.8.5 < 1.8.5_p2
2.9.11_pre20051101-r2 < 2.9.11_pre20051101-r3
2.9.11_pre20051101-r3 > 2.9.11_pre20051101
1.6.8_p12-r1 > 1.6.8_p9-r2
0.9.28-r2 < 0.9.28.1
0.9.28.1 < 087-r1
104-r11 > 104-r9
2.12r-r4 < 2.12r-r5
7.0.17 < 7.0.174
1.1.1-r3 > 0.3.4_pre20061029
1.3-r0 < 1.3.1-r0
1.3_pre1-r1 < 1.3.2
1.0_p10-r0 > 1.0_p9-r0
0.1.0_alpha_pre2 < 0.1.0_alpha
1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0
`;

const CASES = VERSION_DATA.trim()
  .split('\n')
  .map((line) => line.split(' ') as [string, '<' | '>' | '=', string]);

describe('apk version order (apk-tools test/version.data)', () => {
  it('has the transcribed lines', () => {
    expect(CASES).toHaveLength(117);
  });

  it.each(CASES)('%s %s %s', (a, op, b) => {
    const expected = op === '<' ? -1 : op === '>' ? 1 : 0;
    expect(compareApkVersions(a, b)).toBe(expected);
    expect(compareApkVersions(b, a)).toBe(-expected || 0);
  });

  it('validates versions like apk_version_validate', () => {
    expect(isValidApkVersion('1.0.2q-r0')).toBe(true);
    expect(isValidApkVersion('4.2.52_p2-r1')).toBe(true);
    expect(isValidApkVersion('1.0bc')).toBe(false);
    expect(isValidApkVersion('23_foo')).toBe(false);
    expect(isValidApkVersion('1.0-x')).toBe(false);
  });
});

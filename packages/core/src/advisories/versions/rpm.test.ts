import { describe, expect, it } from 'vitest';
import { compareRpmVersions, parseRpmVersion, rpmvercmp } from './rpm.ts';

/**
 * The cases of rpm's own test suite, `tests/rpmvercmp.at` (rpm-software-management/rpm), transcribed as
 * `RPMVERCMP(a, b, expected)`. The "oddities" block that rpm keeps commented out is left out as well.
 */
const RPMVERCMP_AT: [string, string, number][] = [
  ['1.0', '1.0', 0],
  ['1.0', '2.0', -1],
  ['2.0', '1.0', 1],
  ['2.0.1', '2.0.1', 0],
  ['2.0', '2.0.1', -1],
  ['2.0.1', '2.0', 1],
  ['2.0.1a', '2.0.1a', 0],
  ['2.0.1a', '2.0.1', 1],
  ['2.0.1', '2.0.1a', -1],
  ['5.5p1', '5.5p1', 0],
  ['5.5p1', '5.5p2', -1],
  ['5.5p2', '5.5p1', 1],
  ['5.5p10', '5.5p10', 0],
  ['5.5p1', '5.5p10', -1],
  ['5.5p10', '5.5p1', 1],
  ['10xyz', '10.1xyz', -1],
  ['10.1xyz', '10xyz', 1],
  ['xyz10', 'xyz10', 0],
  ['xyz10', 'xyz10.1', -1],
  ['xyz10.1', 'xyz10', 1],
  ['xyz.4', 'xyz.4', 0],
  ['xyz.4', '8', -1],
  ['8', 'xyz.4', 1],
  ['xyz.4', '2', -1],
  ['2', 'xyz.4', 1],
  ['5.5p2', '5.6p1', -1],
  ['5.6p1', '5.5p2', 1],
  ['5.6p1', '6.5p1', -1],
  ['6.5p1', '5.6p1', 1],
  ['6.0.rc1', '6.0', 1],
  ['6.0', '6.0.rc1', -1],
  ['10b2', '10a1', 1],
  ['10a2', '10b2', -1],
  ['1.0aa', '1.0aa', 0],
  ['1.0a', '1.0aa', -1],
  ['1.0aa', '1.0a', 1],
  ['10.0001', '10.0001', 0],
  ['10.0001', '10.1', 0],
  ['10.1', '10.0001', 0],
  ['10.0001', '10.0039', -1],
  ['10.0039', '10.0001', 1],
  ['4.999.9', '5.0', -1],
  ['5.0', '4.999.9', 1],
  ['20101121', '20101121', 0],
  ['20101121', '20101122', -1],
  ['20101122', '20101121', 1],
  ['2_0', '2_0', 0],
  ['2.0', '2_0', 0],
  ['2_0', '2.0', 0],
  ['a', 'a', 0],
  ['a+', 'a+', 0],
  ['a+', 'a_', 0],
  ['a_', 'a+', 0],
  ['+a', '+a', 0],
  ['+a', '_a', 0],
  ['_a', '+a', 0],
  ['+_', '+_', 0],
  ['_+', '+_', 0],
  ['_+', '_+', 0],
  ['+', '_', 0],
  ['_', '+', 0],
  ['1.0~rc1', '1.0~rc1', 0],
  ['1.0~rc1', '1.0', -1],
  ['1.0', '1.0~rc1', 1],
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~rc2', '1.0~rc1', 1],
  ['1.0~rc1~git123', '1.0~rc1~git123', 0],
  ['1.0~rc1~git123', '1.0~rc1', -1],
  ['1.0~rc1', '1.0~rc1~git123', 1],
];

/**
 * Caret cases from rpm's documentation of `^` (rpm ≥ 4.15, "Versioning guidelines": `1.0^git1` sorts after
 * `1.0` and before `1.0.1`; `1.0~rc1^git1` sorts between `1.0~rc1` and `1.0`).
 */
const CARET: [string, string, number][] = [
  ['1.0^', '1.0^', 0],
  ['1.0^', '1.0', 1],
  ['1.0', '1.0^', -1],
  ['1.0^git1', '1.0', 1],
  ['1.0^git1', '1.0^git2', -1],
  ['1.0^git1', '1.01', -1],
  ['1.0^20160101', '1.0.1', -1],
  ['1.0^20160101^git1', '1.0^20160101', 1],
  ['1.0~rc1^git1', '1.0~rc1', 1],
  ['1.0^git1~pre', '1.0^git1', -1],
];

describe('rpmvercmp (rpm tests/rpmvercmp.at)', () => {
  it.each(RPMVERCMP_AT)('rpmvercmp(%j, %j) = %i', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
  });
  it.each(CARET)('caret: rpmvercmp(%j, %j) = %i', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
  });
});

describe('RPM epoch:version-release', () => {
  it('compares epoch first, then version, then release', () => {
    expect(compareRpmVersions('1:1.0-1.el8', '2.0-1.el8')).toBe(1);
    expect(compareRpmVersions('0:1.0-1', '1.0-1')).toBe(0);
    expect(compareRpmVersions('128.12.0-1.el10_0', '128.11.0-1.el10_0')).toBe(1);
    expect(compareRpmVersions('1.1.1k-7.el8_6', '1.1.1k-12.el8_9')).toBe(-1);
    expect(
      compareRpmVersions('2.4.37-51.module_el8.7.0+3281+01e58653', '2.4.37-51.module_el8.7.0+3282+a'),
    ).toBe(-1);
  });

  it('ignores the release when one side has none (rpm dependency semantics)', () => {
    expect(compareRpmVersions('1.0', '1.0-5.el9')).toBe(0);
  });

  it('parses the parts', () => {
    expect(parseRpmVersion('3:4.5.6-7.el9')).toEqual({ epoch: 3, version: '4.5.6', release: '7.el9' });
    expect(parseRpmVersion('4.5.6')).toEqual({ epoch: undefined, version: '4.5.6', release: undefined });
  });
});

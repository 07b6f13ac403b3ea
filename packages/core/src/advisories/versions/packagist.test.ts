import { describe, expect, it } from 'vitest';
import { compareComposerVersions, normalizeComposerVersion, phpVersionCompare } from './packagist.ts';

/**
 * composer/semver `tests/VersionParserTest.php`, data providers `successfulNormalizedVersions` and
 * `failingNormalizedVersions` (transcribed; rows whose expectation changed between composer/semver 1.x and 3.x,
 * such as `dev-master` → `9999999-dev`, are left out, as are `as` aliases which this parser does not handle).
 */
describe('Composer version normalisation (composer/semver VersionParserTest)', () => {
  it.each([
    ['1.0.0', '1.0.0.0'],
    ['1.2.3.4', '1.2.3.4'],
    ['1.0.0RC1dev', '1.0.0.0-RC1-dev'],
    ['1.0.0-rC15-dev', '1.0.0.0-RC15-dev'],
    ['1.0.0.RC.15-dev', '1.0.0.0-RC15-dev'],
    ['1.0.0-rc1', '1.0.0.0-RC1'],
    ['1.0.0.pl3-dev', '1.0.0.0-patch3-dev'],
    ['1.0-dev', '1.0.0.0-dev'],
    ['0', '0.0.0.0'],
    ['10.4.13-beta', '10.4.13.0-beta'],
    ['10.4.13beta2', '10.4.13.0-beta2'],
    ['10.4.13beta.2', '10.4.13.0-beta2'],
    ['10.4.13-b', '10.4.13.0-beta'],
    ['10.4.13-b5', '10.4.13.0-beta5'],
    ['v1.0.0', '1.0.0.0'],
    ['2010.01', '2010.01.0.0'],
    ['2010.01.02', '2010.01.02.0'],
    ['2010.1.555', '2010.1.555.0'],
    ['2010.10.200', '2010.10.200.0'],
    ['v20100102', '20100102'],
    ['2010-01-02', '2010.01.02'],
    ['2010-01-02.5', '2010.01.02.5'],
    ['20100102-203040', '20100102.203040'],
    ['20150920.0.0', '20150920.0.0'],
    ['20100102203040-10', '20100102203040.10'],
    ['20100102-203040-p1', '20100102.203040-patch1'],
    ['dev-feature-foo', 'dev-feature-foo'],
    ['DEV-FOOBAR', 'dev-FOOBAR'],
    ['dev-feature/foo', 'dev-feature/foo'],
    ['1.0.0-beta.5+foo', '1.0.0.0-beta5'],
    ['1.0.0+foo', '1.0.0.0'],
    ['1.0.0-alpha.3.1+foo', '1.0.0.0-alpha3.1'],
    ['1.0.0-alpha2.1+foo', '1.0.0.0-alpha2.1'],
    ['1.0.0-alpha-2.1-3+foo', '1.0.0.0-alpha2.1-3'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeComposerVersion(input)).toBe(expected);
  });

  it.each(['', 'a', '1.0.0-meh', '1.0.0.0.0', 'feature-foo', '1.0.0+foo bar'])('rejects %j', (input) => {
    expect(normalizeComposerVersion(input)).toBeUndefined();
  });
});

describe('PHP version_compare rules (php.net manual: canonicalisation, special forms dev < alpha < beta < RC < # < pl)', () => {
  it.each([
    ['5.2', '5.2.0', -1],
    ['1.0rc1', '1.0', -1],
    ['1.0-dev', '1.0alpha', -1],
    ['1.0alpha', '1.0beta', -1],
    ['1.0pl1', '1.0', 1],
    ['1.0', '1.0.0', -1],
    ['1.0.0', '1.0.0', 0],
    ['1.10', '1.9', 1],
    ['1.0-foo', '1.0-dev', -1],
  ])('version_compare(%s, %s) = %i', (a, b, expected) => {
    expect(phpVersionCompare(a, b)).toBe(expected);
  });
});

describe('Composer order', () => {
  it('compares normalised versions', () => {
    expect(compareComposerVersions('v1.2', '1.2.0')).toBe(0);
    expect(compareComposerVersions('1.0.0-beta2', '1.0.0')).toBe(-1);
    expect(compareComposerVersions('1.0.0-RC1', '1.0.0-beta9')).toBe(1);
    expect(compareComposerVersions('1.0.0-p1', '1.0.0')).toBe(1);
    expect(compareComposerVersions('7.12.0', '7.30.5')).toBe(-1);
  });
});

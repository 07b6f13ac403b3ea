import { describe, expect, it } from 'vitest';
import { isInVersRange, parseVers, versContains } from './vers.ts';

describe('vers: version range specifiers (purl-spec VERSION-RANGE-SPEC)', () => {
  it('parses the spec examples', () => {
    expect(parseVers('vers:npm/1.2.3|>=2.0.0|<5.0.0')).toEqual({
      scheme: 'npm',
      all: false,
      constraints: [
        { comparator: '=', version: '1.2.3' },
        { comparator: '>=', version: '2.0.0' },
        { comparator: '<', version: '5.0.0' },
      ],
    });
    expect(parseVers('vers:pypi/*')).toEqual({ scheme: 'pypi', all: true, constraints: [] });
    expect(parseVers('vers:tomee/ >=1.0.0-beta1 | <=1.7.5 ').constraints).toHaveLength(2);
    expect(parseVers('vers:npm/<1.0.0%2Bbuild').constraints[0]).toEqual({
      comparator: '<',
      version: '1.0.0+build',
    });
  });

  it.each(['npm/1.0.0', 'vers:npm/', 'vers:npm/>=1.0.0|*', 'vers:npm/1.0.0|>=1.0.0', 'vers:npm/<'])(
    'rejects %j',
    (text) => {
      expect(() => parseVers(text)).toThrow();
    },
  );

  it.each([
    ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '1.2.3', true],
    ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '1.2.4', false],
    ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '2.0.0', true],
    ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '4.9.9', true],
    ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '5.0.0', false],
    ['vers:npm/<1.0.0|>=2.0.0', '0.5.0', true],
    ['vers:npm/<1.0.0|>=2.0.0', '1.5.0', false],
    ['vers:npm/<1.0.0|>=2.0.0', '3.0.0', true],
    ['vers:npm/>=1.0.0|!=1.5.0|<2.0.0', '1.5.0', false],
    ['vers:npm/>=1.0.0|!=1.5.0|<2.0.0', '1.6.0', true],
    ['vers:npm/!=1.0.0', '2.0.0', true],
    ['vers:pypi/>=0|<2.0.0rc1', '2.0.0b3', true],
    ['vers:pypi/>=0|<2.0.0rc1', '2.0.0', false],
    ['vers:maven/>=2.13.0|<2.13.2.1', '2.13.2', true],
    ['vers:deb/<1.2.1-2.2+wheezy3', '1.2.1-2.2', true],
    ['vers:golang/<0.3.8', 'v0.3.7', true],
    ['vers:pypi/*', '0.0.1', true],
  ])('%s contains %s: %s', (vers, version, expected) => {
    expect(versContains(vers, version)).toBe(expected);
  });

  it('can evaluate with an explicit scheme', () => {
    const range = parseVers('vers:generic/>=1.0|<1.0.1');
    expect(isInVersRange(range, '1.0.0.1', 'maven')).toBe(true);
  });
});

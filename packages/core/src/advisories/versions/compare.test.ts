import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion, splitEcosystem, versionSchemeOf } from './compare.ts';
import { compareGenericVersions } from './generic.ts';

describe('versionSchemeOf', () => {
  it.each([
    ['npm', 'semver'],
    ['crates.io', 'semver'],
    ['Go', 'go'],
    ['PyPI', 'pypi'],
    ['Maven', 'maven'],
    ['Maven:https://maven.google.com', 'maven'],
    ['NuGet', 'nuget'],
    ['RubyGems', 'rubygems'],
    ['Packagist', 'packagist'],
    ['Debian:12', 'debian'],
    ['Ubuntu:22.04:LTS', 'debian'],
    ['Alpine:v3.18', 'apk'],
    ['AlmaLinux:9', 'rpm'],
    ['Rocky Linux:8', 'rpm'],
    ['Red Hat:rhel_aus:8.4::appstream', 'rpm'],
    ['SUSE:Linux Enterprise Server 15 SP5', 'rpm'],
    ['Root:Alpine:3.18', 'apk'],
    ['Bitnami', 'semver'],
    ['CRAN', 'generic'],
    ['OSS-Fuzz', 'generic'],
    ['SEMVER', 'semver'],
  ])('%s → %s', (ecosystem, scheme) => {
    expect(versionSchemeOf(ecosystem)).toBe(scheme);
  });

  it('splits the release suffix', () => {
    expect(splitEcosystem('Debian:12')).toEqual({ base: 'Debian', release: '12' });
    expect(splitEcosystem('npm')).toEqual({ base: 'npm', release: undefined });
  });
});

describe('compareVersions per ecosystem', () => {
  it.each([
    // npm / crates.io: SemVer 2.0
    ['npm', '4.17.19', '4.17.21', -1],
    ['npm', '1.2.5', '1.2.6', -1],
    ['npm', '3.5.0-beta.1', '3.5.0', -1],
    ['npm', '1.0.0+build', '1.0.0', 0],
    ['crates.io', '0.10.0-alpha.2', '0.10.0-alpha.10', -1],
    // Go: v prefix, pseudo-versions, +incompatible
    ['Go', 'v0.0.0-20211215153901-e495a2d5b3d3', '0.0.0-20220314234659-1baeb1ce4c0b', -1],
    ['Go', 'v0.3.7', '0.3.8', -1],
    ['Go', 'v14.2.0+incompatible', '14.2.0', 0],
    ['Go', 'v1.10.0', 'v1.9.9', 1],
    ['Go', 'v0.1.6-0.20210820212750-d4cc65f0b2ff', '0.1.6', -1],
    // PyPI, RubyGems
    ['PyPI', '2.0.0rc1', '2.0.0', -1],
    ['PyPI', '1.0', '1.0.0', 0],
    ['RubyGems', '4.4.0', '4.3.5', 1],
    ['RubyGems', '1.0.0.pre', '1.0.0', -1],
    // distributions
    ['Debian:7', '1.2.1-2.2+wheezy3', '1.2.1-2.2', 1],
    ['Alpine:v3.8', '1.0.2p-r0', '1.0.2q-r0', -1],
    ['AlmaLinux:8', '1:1.1.1k-7.el8_6', '1.1.1k-7.el8_6', 1],
    // Maven, NuGet, Packagist
    ['Maven', '2.13.2', '2.13.2.1', -1],
    ['Maven', '1.2.3', '1.2.3.Final', 0],
    ['NuGet', '9.0.1', '13.0.1', -1],
    ['Packagist', 'v5.4.1', '5.4.10', -1],
  ])('%s: %s vs %s → %i', (ecosystem, a, b, expected) => {
    expect(compareVersions(ecosystem, a, b)).toBe(expected);
    expect(compareVersions(ecosystem, b, a)).toBe(-expected || 0);
  });

  it('validates per ecosystem', () => {
    expect(isValidVersion('npm', '1.2.3')).toBe(true);
    expect(isValidVersion('npm', '1.2')).toBe(false);
    expect(isValidVersion('Go', 'v1.2.3')).toBe(true);
    expect(isValidVersion('PyPI', '4.36.-1')).toBe(false);
    expect(isValidVersion('Debian', '1:2.3-1')).toBe(true);
    expect(isValidVersion('Alpine:v3.18', '1.0bc')).toBe(false);
    expect(isValidVersion('NuGet', '4.9.0.20240103')).toBe(true);
    expect(isValidVersion('Maven', '')).toBe(false);
  });
});

describe('generic fallback order', () => {
  it.each([
    ['1.2-3', '1.2-10', -1],
    ['1.0', '1.0.1', -1],
    ['1.0rc1', '1.0', -1],
    ['1.0', '1.0a', 1],
    ['v2.0', '2.0', 0],
    ['2.0.9-hotfix.7', '2.0.9-hotfix.10', -1],
    ['r0.13c', 'r0.13b', 1],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(compareGenericVersions(a, b)).toBe(expected);
  });
});

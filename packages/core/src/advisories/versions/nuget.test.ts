import { describe, expect, it } from 'vitest';
import { compareNuGetVersions, parseNuGetVersion } from './nuget.ts';

describe('NuGet version order (NuGet.Versioning rules)', () => {
  it('orders pre-release labels like the SemVer 2.0.0 §11 example (which NuGet follows for SemVer 2 versions)', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    for (let i = 1; i < ordered.length; i++) {
      expect(compareNuGetVersions(ordered[i - 1] as string, ordered[i] as string)).toBe(-1);
    }
  });

  it.each([
    ['1.0', '1.0.0'],
    ['1.0.0', '1.0.0.0'],
    ['1.01', '1.1'],
    ['1.0.0-ALPHA', '1.0.0-alpha'],
    ['1.0.0+build.5', '1.0.0'],
    ['1.0.0-beta+sha.1', '1.0.0-BETA'],
  ])('%s == %s', (a, b) => {
    expect(compareNuGetVersions(a, b)).toBe(0);
  });

  it.each([
    ['1.0.0', '1.0.0.1'],
    ['4.5.2.1', '4.5.3'],
    ['9.0.1', '13.0.1'],
    ['1.0.0-beta10', '1.0.0-beta2'], // legacy SemVer 1 labels compare as strings
    ['1.0.0-1', '1.0.0-alpha'], // numeric labels sort before alphanumeric ones
    ['3.1.1', '3.5.0'],
  ])('%s < %s', (a, b) => {
    expect(compareNuGetVersions(a, b)).toBe(-1);
    expect(compareNuGetVersions(b, a)).toBe(1);
  });

  it('parses four-part versions and rejects non-versions', () => {
    expect(parseNuGetVersion('4.9.0.20240103')?.parts).toEqual([4n, 9n, 0n, 20240103n]);
    expect(parseNuGetVersion('1.2.3.4.5')).toBeUndefined();
    expect(parseNuGetVersion('1.0.0-')).toBeUndefined();
    expect(parseNuGetVersion('latest')).toBeUndefined();
  });
});

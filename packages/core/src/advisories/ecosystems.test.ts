import { describe, expect, it } from 'vitest';
import { normalizePackageName, normalizeRelease, packageFromPurl, purlForPackage } from './ecosystems.ts';

describe('packageFromPurl', () => {
  it.each([
    ['pkg:npm/%40angular/core@12.0.0', { ecosystem: 'npm', name: '@angular/core', version: '12.0.0' }],
    ['pkg:pypi/Django_Rest@1.0', { ecosystem: 'PyPI', name: 'django-rest', version: '1.0' }],
    [
      'pkg:maven/org.webjars.npm/jquery@3.4.1?type=jar',
      { ecosystem: 'Maven', name: 'org.webjars.npm:jquery', version: '3.4.1' },
    ],
    [
      'pkg:golang/github.com/Azure/go-autorest@v14.2.0+incompatible',
      { ecosystem: 'Go', name: 'github.com/Azure/go-autorest', version: 'v14.2.0+incompatible' },
    ],
    ['pkg:golang/stdlib@go1.20.1', { ecosystem: 'Go', name: 'stdlib', version: 'go1.20.1' }],
    ['pkg:cargo/arrow2@0.10.0', { ecosystem: 'crates.io', name: 'arrow2', version: '0.10.0' }],
    ['pkg:nuget/jQuery@3.1.1', { ecosystem: 'NuGet', name: 'jQuery', version: '3.1.1' }],
    ['pkg:gem/jquery-rails@4.3.5', { ecosystem: 'RubyGems', name: 'jquery-rails', version: '4.3.5' }],
    [
      'pkg:composer/laravel/framework@v7.12.0',
      { ecosystem: 'Packagist', name: 'laravel/framework', version: 'v7.12.0' },
    ],
  ])('%s', (purl, expected) => {
    expect(packageFromPurl(purl)).toMatchObject(expected);
  });

  it('maps distribution purls to OSV ecosystems with their release, source name and epoch', () => {
    expect(
      packageFromPurl(
        'pkg:deb/debian/libssl1.1@1.1.1n-0%2Bdeb11u3?arch=amd64&upstream=openssl&distro=debian-11',
      ),
    ).toMatchObject({
      ecosystem: 'Debian:11',
      name: 'openssl',
      version: '1.1.1n-0+deb11u3',
      nameKind: 'source',
    });
    expect(packageFromPurl('pkg:deb/debian/gzip@1.10-4?distro=bookworm')).toMatchObject({
      ecosystem: 'Debian:12',
      nameKind: 'binary',
    });
    expect(
      packageFromPurl(
        'pkg:deb/ubuntu/libnghttp2-14@1.43.0-1build3?arch=armhf&upstream=nghttp2&distro=ubuntu-22.04',
      ),
    ).toMatchObject({
      ecosystem: 'Ubuntu:22.04',
      name: 'nghttp2',
    });
    expect(
      packageFromPurl('pkg:apk/alpine/openssl@1.0.2q-r0?arch=x86_64&distro=alpine-3.16.2'),
    ).toMatchObject({
      ecosystem: 'Alpine:v3.16',
      nameKind: 'source',
    });
    expect(
      packageFromPurl('pkg:rpm/redhat/openssl@1.1.1k-7.el8_6?arch=x86_64&epoch=1&distro=rhel-8.6'),
    ).toMatchObject({
      ecosystem: 'Red Hat',
      version: '1:1.1.1k-7.el8_6',
    });
    expect(
      packageFromPurl(
        'pkg:rpm/almalinux/firefox@128.11.0-1.el10_0?upstream=firefox-128.11.0-1.el10_0.src.rpm&distro=almalinux-10.0',
      ),
    ).toMatchObject({
      ecosystem: 'AlmaLinux:10',
      name: 'firefox',
      nameKind: 'source',
    });
  });

  it('has no ecosystem for generic or unknown purls and tolerates garbage', () => {
    expect(packageFromPurl('pkg:generic/edgeos@2.0.9-hotfix.7')).toBeUndefined();
    expect(packageFromPurl('pkg:rpm/fedora/bash@5.1')).toBeUndefined();
    expect(packageFromPurl('not a purl')).toBeUndefined();
  });
});

describe('package-name normalisation per ecosystem', () => {
  it.each([
    ['PyPI', 'Django_REST.framework', 'django-rest-framework'],
    ['NuGet', 'Newtonsoft.Json', 'newtonsoft.json'],
    ['Packagist', 'Laravel/Framework', 'laravel/framework'],
    ['crates.io', 'Tokio_Util', 'tokio-util'],
    ['npm', 'jQuery', 'jQuery'],
    ['Maven', 'org.webjars.npm:jquery', 'org.webjars.npm:jquery'],
    ['Go', 'github.com/Azure/go-autorest', 'github.com/Azure/go-autorest'],
  ])('%s: %s → %s', (ecosystem, name, expected) => {
    expect(normalizePackageName(ecosystem, name)).toBe(expected);
  });

  it('normalises releases', () => {
    expect(normalizeRelease('Ubuntu:Pro:18.04:LTS')).toBe('18.04');
    expect(normalizeRelease('Alpine:3.18')).toBe('v3.18');
    expect(normalizeRelease('npm')).toBeUndefined();
  });
});

describe('purlForPackage', () => {
  it.each([
    [
      'Maven',
      'com.fasterxml.jackson.core:jackson-databind',
      '2.10.1',
      'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1',
    ],
    ['npm', '@angular/core', undefined, 'pkg:npm/%40angular/core'],
    ['Go', 'golang.org/x/text', '0.3.7', 'pkg:golang/golang.org/x/text@0.3.7'],
    ['Debian:7', 'nginx', undefined, 'pkg:deb/debian/nginx?arch=source'],
    ['PyPI', 'jinja2', '3.1.2', 'pkg:pypi/jinja2@3.1.2'],
    ['OSS-Fuzz', 'antlr4-java', undefined, undefined],
  ])('%s %s %s → %s', (ecosystem, name, version, expected) => {
    expect(purlForPackage(ecosystem, name, version)).toBe(expected);
  });

  it('round-trips through packageFromPurl', () => {
    const purl = purlForPackage('Maven', 'ch.qos.logback:logback-core', '1.2.3') as string;
    expect(packageFromPurl(purl)).toMatchObject({
      ecosystem: 'Maven',
      name: 'ch.qos.logback:logback-core',
      version: '1.2.3',
    });
  });
});

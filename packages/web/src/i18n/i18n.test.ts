import { describe, expect, it } from 'vitest';
import en from './en.json';
import ko from './ko.json';

const keysOf = (value: unknown, prefix = ''): string[] =>
  value !== null && typeof value === 'object'
    ? Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
        keysOf(v, prefix ? `${prefix}.${k}` : k),
      )
    : [prefix];

const valuesOf = (value: unknown): unknown[] =>
  value !== null && typeof value === 'object'
    ? Object.values(value as Record<string, unknown>).flatMap(valuesOf)
    : [value];

describe('message catalogs', () => {
  it('Korean and English have exactly the same keys', () => {
    expect(keysOf(ko).sort()).toEqual(keysOf(en).sort());
  });

  it('have no empty messages, and the same placeholders in both languages', () => {
    expect(valuesOf(ko).every((v) => typeof v === 'string' && v.trim().length > 0)).toBe(true);
    expect(valuesOf(en).every((v) => typeof v === 'string' && v.trim().length > 0)).toBe(true);
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const get = (obj: unknown, key: string) =>
      key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj) as string;
    for (const key of keysOf(en)) {
      expect(placeholders(get(ko, key)), key).toEqual(placeholders(get(en, key)));
    }
  });
});

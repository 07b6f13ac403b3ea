import { describe, expect, it } from 'vitest';
import { checkPassword, countCharacterClasses, DEFAULT_PASSWORD_POLICY } from './password-policy.rules.ts';

describe('password policy', () => {
  it('defaults to at least 8 characters from at least 3 classes', () => {
    expect(DEFAULT_PASSWORD_POLICY.minLength).toBe(8);
    expect(DEFAULT_PASSWORD_POLICY.minClasses).toBe(3);
  });

  it.each([
    ['Abcdef1!', []],
    ['abcdef12', ['too_few_classes']],
    ['Abc1!', ['too_short']],
    ['ABCDEFGH', ['too_few_classes']],
    ['비밀번호Abc1', []],
  ] as const)('%s → %j', (password, problems) => {
    expect(checkPassword(password, DEFAULT_PASSWORD_POLICY)).toEqual(problems);
  });

  it('counts classes: lower, upper, digits, everything else', () => {
    expect(countCharacterClasses('a')).toBe(1);
    expect(countCharacterClasses('aA')).toBe(2);
    expect(countCharacterClasses('aA1')).toBe(3);
    expect(countCharacterClasses('aA1한')).toBe(4);
  });

  it('refuses a password that contains the e-mail name, and overly long ones', () => {
    expect(
      checkPassword('Jane.Doe-2026!', DEFAULT_PASSWORD_POLICY, { email: 'jane.doe@example.com' }),
    ).toEqual(['contains_email']);
    expect(checkPassword(`A1!${'x'.repeat(300)}`, DEFAULT_PASSWORD_POLICY)).toEqual(['too_long']);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(checkPassword('Aa1😀😀😀😀', { ...DEFAULT_PASSWORD_POLICY, minLength: 7 })).toEqual([]);
    expect(checkPassword('Aa1😀😀😀', { ...DEFAULT_PASSWORD_POLICY, minLength: 7 })).toEqual(['too_short']);
  });
});

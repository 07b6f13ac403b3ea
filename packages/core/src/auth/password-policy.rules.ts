/**
 * Password policy.
 * MFDS 2025 art. 6 (user authentication): passwords of sufficient complexity; the guideline's example is
 * at least 8 characters mixing character classes (영문 대/소문자, 숫자, 특수문자).
 * KISA web-service requirement: length and complexity rules, reuse of recent passwords refused, periodic change.
 */
export interface PasswordPolicy {
  minLength: number;
  minClasses: number;
  maxLength: number;
  /** How many previous passwords may not be reused. */
  historySize: number;
  /** Days after which a password must be changed; 0 = never. */
  maxAgeDays: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 8,
  minClasses: 3,
  maxLength: 256,
  historySize: 5,
  maxAgeDays: 90,
};

export type PasswordProblem = 'too_short' | 'too_long' | 'too_few_classes' | 'contains_email';

export const countCharacterClasses = (password: string): number => {
  let classes = 0;
  if (/[a-z]/.test(password)) {
    classes++;
  }
  if (/[A-Z]/.test(password)) {
    classes++;
  }
  if (/[0-9]/.test(password)) {
    classes++;
  }
  if (/[^A-Za-z0-9]/.test(password)) {
    classes++;
  }
  return classes;
};

/** Returns the problems with a candidate password (empty when it satisfies the policy). */
export const checkPassword = (
  password: string,
  policy: PasswordPolicy,
  context: { email?: string } = {},
): PasswordProblem[] => {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < policy.minLength) {
    problems.push('too_short');
  }
  if (length > policy.maxLength) {
    problems.push('too_long');
  }
  if (countCharacterClasses(password) < policy.minClasses) {
    problems.push('too_few_classes');
  }
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && password.toLowerCase().includes(local)) {
    problems.push('contains_email');
  }
  return problems;
};

export const describePasswordProblems = (problems: PasswordProblem[], policy: PasswordPolicy): string =>
  problems
    .map((p) => {
      switch (p) {
        case 'too_short':
          return `at least ${policy.minLength} characters / 최소 ${policy.minLength}자`;
        case 'too_long':
          return `at most ${policy.maxLength} characters / 최대 ${policy.maxLength}자`;
        case 'too_few_classes':
          return `at least ${policy.minClasses} of: lower case, upper case, digits, symbols / 영문 소문자·대문자·숫자·특수문자 중 ${policy.minClasses}종류 이상`;
        case 'contains_email':
          return 'must not contain the e-mail name / 이메일 아이디를 포함할 수 없음';
      }
      return p;
    })
    .join('; ');

import {
  AppError,
  checkPassword,
  describePasswordProblems,
  ErrorCode,
  type PasswordPolicy,
} from '@medsec/core';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * The only place passwords are hashed: argon2id with OWASP's baseline parameters (19 MiB, t=2, p=1).
 * MFDS 2025 art. 8 ② (stored authentication data protected with a secure one-way algorithm);
 * KISA web-service requirement: passwords stored with a salted, secure one-way hash.
 */
// Algorithm.Argon2id is an ambient const enum (value 2), which isolated modules cannot read.
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export const verifyPassword = async (passwordHash: string, password: string): Promise<boolean> => {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
};

// Verified against when the account does not exist, so a miss costs as long as a hit.
let dummyHash: Promise<string> | undefined;
export const burnPasswordCheck = async (password: string): Promise<void> => {
  dummyHash ??= hashPassword('medsec-timing-equaliser-Aa1!');
  await verifyPassword(await dummyHash, password);
};

/** @throws VALIDATION_FAILED when the password does not meet the policy. */
export const assertPasswordPolicy = (password: string, policy: PasswordPolicy, email?: string): void => {
  const problems = checkPassword(password, policy, email ? { email } : {});
  if (problems.length > 0) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `The password does not meet the policy / 비밀번호 정책 미충족: ${describePasswordProblems(problems, policy)}`,
      errors: [{ path: 'password', message: problems.join(',') }],
    });
  }
};

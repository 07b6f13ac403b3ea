import { resolve } from 'node:path';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '@medsec/core';
import { z } from 'zod';

/**
 * Configuration, parsed once at startup from the environment (and CLI flags that override it).
 * The only place that reads secrets from the environment. A bad value stops the process with a clear message.
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  MEDSEC_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  MEDSEC_HOST: z.string().default('127.0.0.1'),
  MEDSEC_PORT: int(0, 65535).default(8080),
  MEDSEC_PUBLIC_URL: z.url().optional(),
  MEDSEC_TLS_CERT: z.string().optional(),
  MEDSEC_TLS_KEY: z.string().optional(),
  MEDSEC_TRUST_PROXY: bool.default(false),
  MEDSEC_KEK: z.string().optional(),
  MEDSEC_KEK_FILE: z.string().optional(),
  MEDSEC_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MEDSEC_BODY_LIMIT_BYTES: int(1024, 512 * 1024 * 1024).default(1024 * 1024),
  /**
   * Advisory feeds for the online sync job, `source=url` pairs separated by commas or spaces, e.g.
   * `osv=https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip kev=https://…/known_exploited_vulnerabilities.json`.
   * Empty (the default): no network access; offline import only.
   */
  MEDSEC_ADVISORY_FEEDS: z.string().default(''),
  MEDSEC_ADVISORY_SYNC_HOURS: int(1, 24 * 30).default(24),
  /** Largest evidence or document file accepted (default 50 MiB). */
  MEDSEC_UPLOAD_LIMIT_BYTES: int(1024, 2 * 1024 * 1024 * 1024).default(50 * 1024 * 1024),
  /** Largest SBOM accepted by upload and `medsec sbom validate/upload` (default 100 MiB), checked before parsing. */
  MEDSEC_SBOM_MAX_BYTES: int(1024, 2 * 1024 * 1024 * 1024).default(100 * 1024 * 1024),
  /** Most components an SBOM may list (default 100,000), checked after parsing, before schema check and storage. */
  MEDSEC_SBOM_MAX_COMPONENTS: int(1, 10_000_000).default(100_000),
  MEDSEC_SESSION_IDLE_MINUTES: int(1, 24 * 60).default(10),
  MEDSEC_SESSION_ABSOLUTE_HOURS: int(1, 24 * 30).default(12),
  MEDSEC_REAUTH_MINUTES: int(1, 60).default(5),
  MEDSEC_LOCKOUT_THRESHOLD: int(1, 100).default(5),
  MEDSEC_LOCKOUT_MINUTES: int(1, 24 * 60).default(5),
  MEDSEC_PASSWORD_MIN_LENGTH: int(8, 128).default(DEFAULT_PASSWORD_POLICY.minLength),
  MEDSEC_PASSWORD_MIN_CLASSES: int(1, 4).default(DEFAULT_PASSWORD_POLICY.minClasses),
  MEDSEC_PASSWORD_HISTORY: int(0, 24).default(DEFAULT_PASSWORD_POLICY.historySize),
  MEDSEC_PASSWORD_MAX_AGE_DAYS: int(0, 3650).default(DEFAULT_PASSWORD_POLICY.maxAgeDays),
  MEDSEC_RATE_LIMIT_AUTH_PER_IP: int(1, 100_000).default(30),
  MEDSEC_RATE_LIMIT_AUTH_PER_ACCOUNT: int(1, 100_000).default(10),
  MEDSEC_RATE_LIMIT_GLOBAL_PER_IP: int(1, 1_000_000).default(1200),
  MEDSEC_JOBS_POLL_MS: int(50, 60_000).default(1000),
  /**
   * Outgoing e-mail for notifications, e.g. `smtps://user:password@mail.example.com:465` or `smtp://relay:25`
   * (nodemailer URL form). Unset: e-mail notifications are off.
   */
  MEDSEC_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MEDSEC_MAIL_FROM: z.string().min(3).max(300).optional(),
  /** Hours between two scans for due and overdue findings (one digest per organization and channel). */
  MEDSEC_NOTIFICATIONS_SCAN_HOURS: int(1, 24 * 7).default(24),
  MEDSEC_WEBHOOK_TIMEOUT_MS: int(500, 120_000).default(10_000),
  MEDSEC_WEB_DIST: z.string().optional(),
});

export interface Config {
  storage: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; dataDir: string };
  host: string;
  port: number;
  publicUrl: string | undefined;
  tls: { cert: string; key: string } | undefined;
  trustProxy: boolean;
  kek: { inline: string } | { file: string } | undefined;
  logLevel: string;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  sbomLimits: { maxBytes: number; maxComponents: number };
  advisorySync: { feeds: { source: 'osv' | 'nvd' | 'kev' | 'epss'; url: string }[]; intervalMs: number };
  session: { idleMs: number; absoluteMs: number; reauthMs: number };
  lockout: { threshold: number; durationMs: number };
  passwordPolicy: PasswordPolicy;
  rateLimit: { authPerIp: number; authPerAccount: number; globalPerIp: number; windowMs: number };
  jobsPollMs: number;
  notifications: {
    smtp: { url: string; from: string } | undefined;
    scanIntervalMs: number;
    webhookTimeoutMs: number;
  };
  webDist: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse configuration; `overrides` are CLI flags, which win over the environment. */
export const loadConfig = (
  env: Record<string, string | undefined> = process.env,
  overrides: Record<string, string | undefined> = {},
): Config => {
  const merged: Record<string, string | undefined> = { ...env };
  for (const [k, v] of Object.entries(overrides)) {
    if (v !== undefined) {
      merged[k] = v;
    }
  }
  for (const k of Object.keys(merged)) {
    if (merged[k] === '') {
      delete merged[k];
    }
  }
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration / 설정 오류:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.MEDSEC_TLS_CERT && !e.MEDSEC_TLS_KEY) || (!e.MEDSEC_TLS_CERT && e.MEDSEC_TLS_KEY)) {
    throw new ConfigError('MEDSEC_TLS_CERT and MEDSEC_TLS_KEY must be set together');
  }
  if (e.MEDSEC_SMTP_URL && !e.MEDSEC_MAIL_FROM) {
    throw new ConfigError('MEDSEC_SMTP_URL needs MEDSEC_MAIL_FROM (the sender address of notifications)');
  }
  if (e.MEDSEC_KEK && e.MEDSEC_KEK_FILE) {
    throw new ConfigError('Set MEDSEC_KEK or MEDSEC_KEK_FILE, not both');
  }
  const dataDir = resolve(e.MEDSEC_DATA_DIR);
  return {
    storage: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, dataDir }
      : { kind: 'pglite', dataDir },
    host: e.MEDSEC_HOST,
    port: e.MEDSEC_PORT,
    publicUrl: e.MEDSEC_PUBLIC_URL,
    tls:
      e.MEDSEC_TLS_CERT && e.MEDSEC_TLS_KEY ? { cert: e.MEDSEC_TLS_CERT, key: e.MEDSEC_TLS_KEY } : undefined,
    trustProxy: e.MEDSEC_TRUST_PROXY,
    kek: e.MEDSEC_KEK
      ? { inline: e.MEDSEC_KEK }
      : e.MEDSEC_KEK_FILE
        ? { file: resolve(e.MEDSEC_KEK_FILE) }
        : undefined,
    logLevel: e.MEDSEC_LOG_LEVEL,
    bodyLimitBytes: e.MEDSEC_BODY_LIMIT_BYTES,
    uploadLimitBytes: e.MEDSEC_UPLOAD_LIMIT_BYTES,
    sbomLimits: { maxBytes: e.MEDSEC_SBOM_MAX_BYTES, maxComponents: e.MEDSEC_SBOM_MAX_COMPONENTS },
    advisorySync: {
      feeds: e.MEDSEC_ADVISORY_FEEDS.split(/[\s,]+/)
        .filter(Boolean)
        .map((pair) => {
          const [source, ...rest] = pair.split('=');
          const url = rest.join('=');
          if (!['osv', 'nvd', 'kev', 'epss'].includes(source ?? '') || !/^https?:\/\//.test(url)) {
            throw new ConfigError(
              `MEDSEC_ADVISORY_FEEDS: "${pair}" is not source=http(s)://… (source osv, nvd, kev or epss)`,
            );
          }
          return { source: source as 'osv' | 'nvd' | 'kev' | 'epss', url };
        }),
      intervalMs: e.MEDSEC_ADVISORY_SYNC_HOURS * 3_600_000,
    },
    session: {
      idleMs: e.MEDSEC_SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: e.MEDSEC_SESSION_ABSOLUTE_HOURS * 3_600_000,
      reauthMs: e.MEDSEC_REAUTH_MINUTES * 60_000,
    },
    lockout: { threshold: e.MEDSEC_LOCKOUT_THRESHOLD, durationMs: e.MEDSEC_LOCKOUT_MINUTES * 60_000 },
    passwordPolicy: {
      ...DEFAULT_PASSWORD_POLICY,
      minLength: e.MEDSEC_PASSWORD_MIN_LENGTH,
      minClasses: e.MEDSEC_PASSWORD_MIN_CLASSES,
      historySize: e.MEDSEC_PASSWORD_HISTORY,
      maxAgeDays: e.MEDSEC_PASSWORD_MAX_AGE_DAYS,
    },
    rateLimit: {
      authPerIp: e.MEDSEC_RATE_LIMIT_AUTH_PER_IP,
      authPerAccount: e.MEDSEC_RATE_LIMIT_AUTH_PER_ACCOUNT,
      globalPerIp: e.MEDSEC_RATE_LIMIT_GLOBAL_PER_IP,
      windowMs: 60_000,
    },
    jobsPollMs: e.MEDSEC_JOBS_POLL_MS,
    notifications: {
      smtp:
        e.MEDSEC_SMTP_URL && e.MEDSEC_MAIL_FROM
          ? { url: e.MEDSEC_SMTP_URL, from: e.MEDSEC_MAIL_FROM }
          : undefined,
      scanIntervalMs: e.MEDSEC_NOTIFICATIONS_SCAN_HOURS * 3_600_000,
      webhookTimeoutMs: e.MEDSEC_WEBHOOK_TIMEOUT_MS,
    },
    webDist: e.MEDSEC_WEB_DIST,
  };
};

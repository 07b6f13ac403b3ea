import { AppError, ErrorCode, exitCodeFor } from '@medsec/core';
import cliProgress from 'cli-progress';

/** Output helpers: `--json` prints machine-readable documents; errors become problem documents and exit codes. */
export interface Out {
  json: boolean;
}

export const print = (out: Out, data: unknown, human: () => string): void => {
  process.stdout.write(out.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
};

export const table = (rows: Record<string, unknown>[], columns: string[]): string => {
  if (rows.length === 0) {
    return '(none / 없음)';
  }
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
  ].join('\n');
};

/** Usage error (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Options refused by an API schema (exit 3): each issue named by its option (`--page-size`), `names` mapping the
 * schema's keys to option names where they differ.
 */
export const invalidOptions = (
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  names: Record<string, string> = {},
): AppError => {
  const errors = issues.map((i) => {
    const key = String(i.path[0] ?? '');
    return { path: names[key] ?? key, message: i.message };
  });
  return new AppError(ErrorCode.VALIDATION_FAILED, {
    detail: errors.map((e) => `--${e.path}: ${e.message}`).join('; '),
    errors,
  });
};

export const failWith = (out: Out, error: unknown): never => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const known = error instanceof AppError;
  const appError = known
    ? error
    : new AppError(ErrorCode.INTERNAL, {
        detail: error instanceof Error && error.name === 'ConfigError' ? error.message : undefined,
      });
  const isConfig = error instanceof Error && error.name === 'ConfigError';
  if (out.json) {
    process.stdout.write(
      `${JSON.stringify({ type: `urn:medsec:problem:${appError.code.toLowerCase().replace(/_/g, '-')}`, code: appError.code, reason: appError.reason, detail: appError.detail ?? (error instanceof Error ? error.message : String(error)), errors: appError.errors }, null, 2)}\n`,
    );
  } else {
    process.stderr.write(
      `error: ${appError.detail ?? (error instanceof Error ? error.message : String(error))}\n`,
    );
    if (!known && !isConfig && process.env.MEDSEC_DEBUG) {
      process.stderr.write(`${(error as Error).stack}\n`);
    }
  }
  process.exit(isConfig ? 2 : exitCodeFor(appError.code));
};

/** Reads all of standard input (passwords piped by scripts). */
export const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** Asks for a secret on a terminal without echoing it. */
export const promptHidden = (question: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const onData = (ch: string) => {
      for (const c of ch) {
        if (c === '\r' || c === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (c === '\u0003') {
          stdin.setRawMode(false);
          reject(new UsageError('cancelled'));
          return;
        }
        if (c === '\u007f' || c === '\b') {
          value = value.slice(0, -1);
        } else {
          value += c;
        }
      }
    };
    stdin.on('data', onData);
  });

/**
 * Progress of long work on standard error: a bar on a terminal (cli-progress), one line per step otherwise,
 * nothing with --json (standard output stays a single document).
 */
export const progressReporter = (
  out: Out,
  label: string,
): { update(done: number, total: number, detail: string): void; stop(): void } => {
  if (out.json) {
    return { update: () => undefined, stop: () => undefined };
  }
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {detail}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, detail) {
        if (!started) {
          bar.start(total, done, { detail });
          started = true;
        } else {
          bar.update(done, { detail });
        }
      },
      stop: () => bar.stop(),
    };
  }
  let last = '';
  return {
    update(done, total, detail) {
      const line = `${label} ${done}/${total} ${detail}`;
      if (line !== last) {
        process.stderr.write(`${line}\n`);
        last = line;
      }
    },
    stop: () => undefined,
  };
};

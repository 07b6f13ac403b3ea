import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError, ErrorCode } from '@medsec/core';
import { createKeyringFile, rotateKeys } from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print } from '../output.ts';
import { configFrom, type GlobalOptions, withRuntime } from '../runtime.ts';

export const registerKeysCommands = (program: Command): void => {
  const keys = program.command('keys').description('Encryption keys for secrets at rest / 암호 키 관리');
  keys
    .command('init')
    .description('Create a new keyring file (for MEDSEC_KEK_FILE, e.g. on PostgreSQL) / 키링 파일 생성')
    .requiredOption(
      '--out <file>',
      'keyring file to create (mode 0600); keep it outside the database and its backups',
    )
    .action((opts: { out: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const file = resolve(opts.out);
        if (existsSync(file)) {
          throw new AppError(ErrorCode.CONFLICT, {
            detail: `${file} exists; refusing to overwrite a keyring / 기존 키링을 덮어쓸 수 없습니다`,
          });
        }
        const keyring = createKeyringFile(file);
        print(
          out,
          { ok: true, file, primary: keyring.primaryId },
          () => `Keyring created / 키링 생성: ${file} (key ${keyring.primaryId})`,
        );
      } catch (error) {
        failWith(out, error);
      }
    });
  keys
    .command('rotate')
    .description('Add a new key-encryption key and re-wrap every data key under it / 키 교체')
    .option('--reencrypt', 're-encrypt sealed fields under a new data key as well')
    .option('--retire-old', 'remove the old key-encryption keys from the keyring file afterwards')
    .action(async (opts: { reencrypt?: boolean; retireOld?: boolean }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const result = await withRuntime(configFrom(global), async (ctx) => {
          const r = await rotateKeys(ctx, {
            reencrypt: Boolean(opts.reencrypt),
            retireOld: Boolean(opts.retireOld),
          });
          const { recordAuditAlone } = await import('@medsec/server');
          await recordAuditAlone(ctx, { action: 'keys.rotated', organizationId: null, details: { ...r } });
          return r;
        });
        print(
          out,
          { ok: true, ...result },
          () =>
            `New key ${result.newKekId}: ${result.rewrappedDataKeys} data keys re-wrapped, ${result.reencryptedFields} fields re-encrypted / 키 교체 완료`,
        );
      } catch (error) {
        failWith(out, error);
      }
    });
};

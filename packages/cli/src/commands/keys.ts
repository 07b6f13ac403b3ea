import { rotateKeys } from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print } from '../output.ts';
import { configFrom, type GlobalOptions, withRuntime } from '../runtime.ts';

export const registerKeysCommands = (program: Command): void => {
  const keys = program.command('keys').description('Encryption keys for secrets at rest / 암호 키 관리');
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
          const r = await rotateKeys(ctx, { reencrypt: Boolean(opts.reencrypt), retireOld: Boolean(opts.retireOld) });
          const { recordAuditAlone } = await import('@medsec/server');
          await recordAuditAlone(ctx, { action: 'keys.rotated', organizationId: null, details: { ...r } });
          return r;
        });
        print(out, { ok: true, ...result }, () => `New key ${result.newKekId}: ${result.rewrappedDataKeys} data keys re-wrapped, ${result.reencryptedFields} fields re-encrypted / 키 교체 완료`);
      } catch (error) {
        failWith(out, error);
      }
    });
};

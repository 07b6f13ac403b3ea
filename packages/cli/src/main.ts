import { Command, CommanderError } from 'commander';
import { registerAdminCommands } from './commands/admin.ts';
import { registerAssessmentCommands } from './commands/assessments.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerBackupCommands } from './commands/backup.ts';
import { registerCatalogCommands } from './commands/catalog.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerFindingsSeriesCommands } from './commands/findings-series.ts';
import { registerKeysCommands } from './commands/keys.ts';
import { registerNotificationCommands } from './commands/notifications.ts';
import { registerProductCommands } from './commands/products.ts';
import { registerRecordCommands } from './commands/records.ts';
import { registerSbomExplorerCommands } from './commands/sbom-explorer.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerUsersCommands } from './commands/users.ts';
import { registerVulnerabilityCommands } from './commands/vulnerabilities.ts';
import { failWith } from './output.ts';

/**
 * `medsec`: runs the server, migrations, first-run administrator, users, audit verification and export,
 * backups and key rotation. Every command accepts `--data-dir` (embedded) or DATABASE_URL (PostgreSQL)
 * and `--json`. Exit codes: 0 ok, 1 internal, 2 usage, 3 validation, 4 not found.
 */
const program = new Command()
  .name('medsec')
  .description(
    'MedSec Workbench: product security and MFDS/KISA compliance for digital medical devices\nMedSec Workbench: 디지털의료기기 제품 보안·규제 준수 플랫폼',
  )
  .version('0.1.0')
  .option(
    '--data-dir <dir>',
    'embedded data directory (default ./data or MEDSEC_DATA_DIR); ignored when DATABASE_URL is set',
  )
  .option('--json', 'machine-readable output')
  .showHelpAfterError()
  .exitOverride();

registerStartCommand(program);
registerDbCommands(program);
registerAdminCommands(program);
registerUsersCommands(program);
registerAuditCommands(program);
registerBackupCommands(program);
registerKeysCommands(program);
registerCatalogCommands(program);
registerProductCommands(program);
registerAssessmentCommands(program);
registerRecordCommands(program);
registerVulnerabilityCommands(program);
registerNotificationCommands(program); // after it: adds to the `findings` and `advisories` groups
registerSbomExplorerCommands(program); // adds `components` and `tree` to the `sbom` group
registerFindingsSeriesCommands(program); // adds `series` and `burndown` to the `findings` group

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  failWith({ json: Boolean(program.opts().json) }, error);
}

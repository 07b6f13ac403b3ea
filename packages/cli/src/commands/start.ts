import { startServer } from '@medsec/server';
import type { Command } from 'commander';
import { failWith } from '../output.ts';
import { configFrom, type GlobalOptions } from '../runtime.ts';

export const registerStartCommand = (program: Command): void => {
  program
    .command('start')
    .description('Serve the API and web app (embedded database unless DATABASE_URL is set) / 서버 시작')
    .option('--port <n>', 'port (default 8080 or MEDSEC_PORT)')
    .option('--host <host>', 'listen address (default 127.0.0.1 or MEDSEC_HOST)')
    .option('--data-dir <dir>', 'embedded data directory')
    .action(async (opts: { port?: string; host?: string; dataDir?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      try {
        const config = configFrom(
          { ...global, dataDir: opts.dataDir ?? global.dataDir },
          { MEDSEC_PORT: opts.port, MEDSEC_HOST: opts.host },
        );
        const server = await startServer(config);
        const storage =
          config.storage.kind === 'pglite' ? `embedded database in ${config.storage.dataDir}` : 'PostgreSQL';
        if (global.json) {
          process.stdout.write(`${JSON.stringify({ url: server.url, storage: config.storage.kind })}\n`);
        } else {
          process.stdout.write(
            `MedSec Workbench is running at ${server.url} (${storage})\nMedSec Workbench 실행 중: ${server.url}\n`,
          );
        }
        let closing = false;
        const stop = async () => {
          if (closing) {
            return;
          }
          closing = true;
          await server.close();
          process.exit(0);
        };
        process.on('SIGINT', () => void stop());
        process.on('SIGTERM', () => void stop());
      } catch (error) {
        failWith({ json: Boolean(global.json) }, error);
      }
    });
};

import { readFileSync } from 'node:fs';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import type { Deps } from './context.ts';
import { scheduleAdvisorySync } from './modules/advisories/advisories.sync.ts';
import { scheduleNotificationScan } from './modules/notifications/notifications.digest.ts';
import { startJobWorker } from './platform/jobs/jobs.service.ts';
import { openRuntime } from './runtime.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the HTTP server and the job worker on the configured storage. */
export const startServer = async (config: Config): Promise<RunningServer> => {
  const runtime = await openRuntime(config);
  try {
    const server = await startServerOn(runtime.deps);
    return {
      url: server.url,
      close: async () => {
        await server.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
};

/** Serves on already-opened dependencies: HTTP or, with MEDSEC_TLS_CERT/KEY, HTTPS (TLS 1.2+). */
export const startServerOn = async (deps: Deps): Promise<RunningServer> => {
  const { config } = deps;
  const https = config.tls
    ? { key: readFileSync(config.tls.key), cert: readFileSync(config.tls.cert) }
    : undefined;
  const { app, jobs } = await buildApp(deps, {
    logger: {
      level: config.logLevel,
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
    ...(https ? { https } : {}),
  });
  await scheduleAdvisorySync(deps); // only when MEDSEC_ADVISORY_FEEDS is set
  await scheduleNotificationScan(deps); // the daily scan for due and overdue findings
  const stopWorker = startJobWorker(deps, jobs, (error) => app.log.error({ err: error }, 'job worker error'));
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  return {
    url,
    close: async () => {
      await stopWorker();
      await app.close();
    },
  };
};

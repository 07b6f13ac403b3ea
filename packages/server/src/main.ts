import { readFileSync } from 'node:fs';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
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
    const https = config.tls
      ? { key: readFileSync(config.tls.key), cert: readFileSync(config.tls.cert) }
      : undefined;
    const { app, jobs } = await buildApp(runtime.deps, {
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
    const stopWorker = startJobWorker(runtime.deps, jobs, (error) =>
      app.log.error({ err: error }, 'job worker error'),
    );
    const address = await app.listen({ host: config.host, port: config.port });
    const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    return {
      url,
      close: async () => {
        await stopWorker();
        await app.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
};

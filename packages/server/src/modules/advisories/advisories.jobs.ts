import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobRegistry } from '../../platform/jobs/jobs.service.ts';
import { matchCsafNamesOfSbom } from '../csaf/csaf-name-matching.service.ts';
import { importEpss, importKev, importOsv } from './advisories.service.ts';
import { scheduleNextAdvisorySync, syncAdvisories } from './advisories.sync.ts';
import { importNvd } from './cpe-matching.service.ts';
import { importCsaf } from './csaf-import.service.ts';
import { matchSbom } from './matching.service.ts';

/** Job handlers: match a new SBOM; import an uploaded advisory file (kept as a blob until the job reads it). */
export const registerAdvisoryJobs = (jobs: JobRegistry): void => {
  jobs.handlers.set('advisories.sync', async ({ deps, progress }) => {
    const results = await syncAdvisories(deps, progress);
    // the next run, one interval from now
    await scheduleNextAdvisorySync(deps);
    return { feeds: results };
  });
  jobs.handlers.set('sbom.match', async ({ deps, job, progress }) => {
    await progress(0.1, 'matching components against advisories');
    const matched = await matchSbom(deps, String(job.payload.sbomId));
    return { ...matched, csafNames: await matchCsafNamesOfSbom(deps, String(job.payload.sbomId)) }; // after matching
  });
  jobs.handlers.set('advisories.import', async ({ deps, job, progress }) => {
    const { source, sha256, fileName, organizationId } = job.payload as Record<string, string>;
    const [blob] = await deps.db.query<{ content: Uint8Array }>(
      'SELECT content FROM blobs WHERE organization_id = $1 AND sha256 = $2',
      [organizationId, sha256],
    );
    if (!blob) {
      throw new Error(`uploaded file ${sha256} is gone`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'medsec-advisories-'));
    const path = join(dir, (fileName ?? 'advisories.json').replace(/[^A-Za-z0-9._-]/g, '_'));
    try {
      writeFileSync(path, blob.content);
      await progress(0.05, `importing ${fileName}`);
      if (source === 'kev') {
        return await importKev(deps, path);
      }
      if (source === 'epss') {
        return await importEpss(deps, path);
      }
      if (source === 'nvd') {
        return await importNvd(deps, path);
      }
      if (source === 'csaf') {
        return await importCsaf(deps, path);
      }
      return await importOsv(deps, path, (done, message) =>
        progress(Math.min(0.9, 0.05 + done / 20000), message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
};

import type { JobRegistry } from '../../platform/jobs/jobs.service.ts';
import {
  DELIVER_JOB,
  deliverNotification,
  SCAN_JOB,
  scanNotifications,
  scheduleNextNotificationScan,
} from './notifications.digest.ts';

/** Job handlers: the daily scan (which queues its next run) and the delivery of one digest. */
export const registerNotificationJobs = (jobs: JobRegistry): void => {
  jobs.handlers.set(SCAN_JOB, async ({ deps, progress }) => {
    await progress(0.1, 'scanning due and overdue findings');
    const result = await scanNotifications(deps);
    await scheduleNextNotificationScan(deps);
    return result;
  });
  jobs.handlers.set(DELIVER_JOB, deliverNotification);
};

import { Alert, Badge, Group, Progress, Stack, Text } from '@mantine/core';
import type { Job } from '@medsec/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { isFinished, resultNumbers } from './job-result.ts';

const POLL_MS = 700;

/**
 * Polls `GET /api/v1/jobs/:id` until the job succeeds or fails (a retrying job is still under way), then calls
 * `onDone` once. A new id starts over; null stops.
 */
export const useJob = (
  jobId: string | null,
  onDone?: (job: Job) => void,
): { job: Job | null; error: unknown } => {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;
  useEffect(() => {
    setJob(null);
    setError(null);
    if (!jobId) {
      return;
    }
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const next = await get<Job>(`/api/v1/jobs/${jobId}`);
        if (cancelled) {
          return;
        }
        setJob(next);
        if (isFinished(next)) {
          onDoneRef.current?.(next);
          return;
        }
      } catch (err) {
        if (!cancelled) {
          setError(err);
        }
        return;
      }
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [jobId]);
  return { job, error };
};

const COLORS: Record<Job['status'], string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  retrying: 'orange',
};

/** A job's status, progress bar and message while it runs; its result numbers (or its error) once it ends. */
export const JobProgress = ({ job, error, testId }: { job: Job | null; error: unknown; testId: string }) => {
  const { t } = useTranslation();
  if (error) {
    return <ErrorAlert error={error} />;
  }
  if (!job) {
    return (
      <Text size="sm" c="dimmed" data-testid={`${testId}-progress`} data-status="queued">
        {t('jobs.status.queued')}
      </Text>
    );
  }
  const done = isFinished(job);
  return (
    <Stack gap={4} data-testid={done ? `${testId}-done` : `${testId}-progress`} data-status={job.status}>
      <Group gap="xs">
        <Badge color={COLORS[job.status]}>{t(`jobs.status.${job.status}`)}</Badge>
        {job.progressMessage && !done && (
          <Text size="xs" c="dimmed">
            {job.progressMessage}
          </Text>
        )}
      </Group>
      {!done && (
        <Progress
          value={Math.max(job.progress * 100, 3)}
          color={COLORS[job.status]}
          animated
          aria-label={t('jobs.progress')}
        />
      )}
      {job.status === 'succeeded' && (
        <Group gap={6}>
          {resultNumbers(job.result).map(({ key, value }) => (
            <Badge key={key} variant="light" color="gray" tt="none">
              {t(`jobResult.${key.replace('.', '_')}`, { defaultValue: key })}: {value}
            </Badge>
          ))}
        </Group>
      )}
      {job.status === 'failed' && (
        <Alert color="red" variant="light">
          {job.lastError ?? t('common.error')}
        </Alert>
      )}
    </Stack>
  );
};

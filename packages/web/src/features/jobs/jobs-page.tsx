import { Badge, Button, Progress, Table, Text } from '@mantine/core';
import type { Job } from '@medsec/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';

const COLORS: Record<Job['status'], string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  retrying: 'orange',
};

export const JobsPage = () => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const jobs = useLoad(() => get<{ items: Job[] }>('/api/v1/jobs?pageSize=50'), []);
  const [error, setError] = useState<unknown>(null);
  const busy =
    jobs.data?.items.some(
      (j) => j.status === 'queued' || j.status === 'running' || j.status === 'retrying',
    ) ?? false;
  useEffect(() => {
    if (!busy) {
      return;
    }
    const timer = setInterval(jobs.reload, 2000);
    return () => clearInterval(timer);
  }, [busy, jobs.reload]);
  return (
    <Page
      title={t('jobs.title')}
      help={t('jobs.help')}
      actions={
        can('jobs:manage') && (
          <Button
            data-testid="jobs-run-verify"
            onClick={() => void post('/api/v1/jobs', { type: 'audit.verify' }).then(jobs.reload, setError)}
          >
            {t('jobs.runVerify')}
          </Button>
        )
      }
    >
      <ErrorAlert error={error ?? jobs.error} />
      <Table withTableBorder data-testid="jobs-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('jobs.type')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th>{t('jobs.progress')}</Table.Th>
            <Table.Th>{t('jobs.attempts')}</Table.Th>
            <Table.Th>{t('common.created')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.data?.items.map((j) => (
            <Table.Tr key={j.id}>
              <Table.Td>{j.type}</Table.Td>
              <Table.Td>
                <Badge color={COLORS[j.status]} data-testid={`job-status-${j.status}`}>
                  {t(`jobs.status.${j.status}`)}
                </Badge>
                {j.lastError && (
                  <Text size="xs" c="red">
                    {t('jobs.lastError')}: {j.lastError}
                  </Text>
                )}
              </Table.Td>
              <Table.Td w={180}>
                <Progress
                  value={j.progress * 100}
                  color={COLORS[j.status]}
                  animated={j.status === 'running'}
                  aria-label={t('jobs.progress')}
                />
                {j.progressMessage && (
                  <Text size="xs" c="dimmed">
                    {j.progressMessage}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {j.attempts}/{j.maxAttempts}
              </Table.Td>
              <Table.Td>{formatDateTime(j.createdAt, i18n.language)}</Table.Td>
              <Table.Td>
                {j.status === 'failed' && can('jobs:manage') && (
                  <Button
                    size="xs"
                    variant="subtle"
                    onClick={() => void post(`/api/v1/jobs/${j.id}/retry`).then(jobs.reload, setError)}
                  >
                    {t('jobs.retry')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
          {jobs.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text size="sm" c="dimmed" ta="center">
                  {t('jobs.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Page>
  );
};

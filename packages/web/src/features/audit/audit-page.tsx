import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Pagination,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import type { AuditEvent, AuditVerifyResult } from '@medsec/core';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';

const toIso = (date: string, endOfDay: boolean): string | undefined =>
  date ? new Date(`${date}T${endOfDay ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined;

export const AuditPage = () => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [form, setForm] = useState({ action: '', actor: '', outcome: '', from: '', to: '' });
  const [applied, setApplied] = useState(form);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const filter = {
    action: applied.action,
    actor: applied.actor,
    outcome: applied.outcome,
    from: toIso(applied.from, false),
    to: toIso(applied.to, true),
  };
  const events = useLoad(
    () =>
      get<{ items: AuditEvent[]; total: number; pageSize: number }>(
        `/api/v1/audit-events${query({ ...filter, page, pageSize: 50 })}`,
      ),
    [applied, page],
  );
  return (
    <Page
      title={t('audit.title')}
      help={t('audit.help')}
      actions={
        <Group>
          <Button
            variant="light"
            data-testid="audit-verify"
            onClick={() =>
              void get<AuditVerifyResult>('/api/v1/audit-events/verify').then(setVerify, setError)
            }
          >
            {t('audit.verify')}
          </Button>
          {can('audit:export') && (
            <>
              <Button
                variant="default"
                component="a"
                href={`/api/v1/audit-events/export${query({ ...filter, format: 'csv' })}`}
                download
                title={t('audit.exportHelp')}
                data-testid="audit-export-csv"
              >
                {t('audit.exportCsv')}
              </Button>
              <Button
                variant="default"
                component="a"
                href={`/api/v1/audit-events/export${query({ ...filter, format: 'jsonl' })}`}
                download
                title={t('audit.exportHelp')}
                data-testid="audit-export-jsonl"
              >
                {t('audit.exportJsonl')}
              </Button>
            </>
          )}
        </Group>
      }
    >
      {verify && (
        <Alert color={verify.ok ? 'teal' : 'red'} data-testid="audit-verify-result">
          {verify.ok
            ? t('audit.intact', { count: verify.events })
            : verify.firstBrokenSeq !== null
              ? t('audit.brokenSeq', { seq: verify.firstBrokenSeq, problem: verify.problem ?? '' })
              : t('audit.broken', { id: verify.firstBrokenEventId ?? '—', problem: verify.problem ?? '' })}
        </Alert>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setApplied(form);
        }}
      >
        <SimpleGrid cols={{ base: 2, md: 6 }} spacing="sm" verticalSpacing="xs" style={{ alignItems: 'end' }}>
          <TextInput
            label={t('audit.action')}
            placeholder="auth."
            value={form.action}
            onChange={(e) => setForm({ ...form, action: e.currentTarget.value })}
          />
          <TextInput
            label={t('audit.actor')}
            value={form.actor}
            onChange={(e) => setForm({ ...form, actor: e.currentTarget.value })}
          />
          <Select
            label={t('audit.outcome')}
            clearable
            data={[
              { value: 'success', label: t('audit.success') },
              { value: 'failure', label: t('audit.failure') },
            ]}
            value={form.outcome || null}
            onChange={(v) => setForm({ ...form, outcome: v ?? '' })}
          />
          <TextInput
            type="date"
            label={t('audit.from')}
            value={form.from}
            onChange={(e) => setForm({ ...form, from: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('audit.to')}
            value={form.to}
            onChange={(e) => setForm({ ...form, to: e.currentTarget.value })}
          />
          <Button type="submit" data-testid="audit-filter">
            {t('common.filter')}
          </Button>
        </SimpleGrid>
      </form>
      <ErrorAlert error={error ?? events.error} />
      <Table withTableBorder highlightOnHover data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('audit.time')}</Table.Th>
            <Table.Th>{t('audit.actor')}</Table.Th>
            <Table.Th>{t('audit.action')}</Table.Th>
            <Table.Th>{t('audit.outcome')}</Table.Th>
            <Table.Th>{t('audit.target')}</Table.Th>
            <Table.Th>{t('audit.requestId')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.data?.items.map((e) => (
            <Fragment key={e.id}>
              <Table.Tr onClick={() => setOpen(open === e.id ? null : e.id)} style={{ cursor: 'pointer' }}>
                <Table.Td>{e.seq}</Table.Td>
                <Table.Td>
                  <Tooltip label={`${e.occurredAt} (UTC)`}>
                    <span>{formatDateTime(e.occurredAt, i18n.language)}</span>
                  </Tooltip>
                </Table.Td>
                <Table.Td>{e.actorLabel}</Table.Td>
                <Table.Td>
                  <Code>{e.action}</Code>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={e.outcome === 'success' ? 'teal' : 'red'}>
                    {t(`audit.${e.outcome}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {e.targetType ? (
                    <Tooltip label={e.targetId ?? ''} disabled={!e.targetId}>
                      <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                        {e.targetType} {e.targetId ? `…${e.targetId.slice(-8)}` : ''}
                      </Text>
                    </Tooltip>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  {e.requestId ? (
                    <Tooltip label={e.requestId}>
                      <Code fz="xs">…{e.requestId.slice(-8)}</Code>
                    </Tooltip>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
              {open === e.id && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text size="xs" c="dimmed">
                      {t('audit.requestId')}: {e.requestId ?? '—'} · IP {e.ip ?? '—'} · {e.targetType ?? ''}{' '}
                      {e.targetId ?? ''} · hash {e.hash.slice(0, 16)}…
                    </Text>
                    <Code block data-testid="audit-details">
                      {JSON.stringify(e.details, null, 2)}
                    </Code>
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
          {events.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text size="sm" c="dimmed" ta="center">
                  {t('audit.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {events.data && events.data.total > events.data.pageSize && (
        <Pagination
          total={Math.ceil(events.data.total / events.data.pageSize)}
          value={page}
          onChange={setPage}
        />
      )}
    </Page>
  );
};

import {
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  NativeSelect,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import type { CsafAdvisory, CsafAdvisoryDetail, CsafMatch } from '@medsec/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { get, post, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';

/**
 * CSAF / CSAF 권고문 (MFDS 2025 arts. 20–22): the organization's issued advisories (security advisories and VEX
 * documents) with their revisions, and the review queue of vendor-CSAF matches made by name (confirm or dismiss with
 * a reason). The server builds and validates every document; this page only lists, issues and downloads.
 */
const STATUS_COLOR: Record<string, string> = { draft: 'gray', interim: 'orange', final: 'green' };

const csafAdvisoryHref = (id: string): string => `/csaf/${id}`;

export const CsafPage = () => {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'review' ? 'review' : 'advisories';
  return (
    <Page
      title={t('csaf.title')}
      help={t('csaf.help')}
      actions={
        <Anchor component={Link} to="/vulnerabilities" size="sm">
          {t('csaf.allFindings')}
        </Anchor>
      }
    >
      <Tabs
        value={tab}
        onChange={(v) => setParams(v === 'review' ? { tab: 'review' } : {}, { replace: true })}
      >
        <Tabs.List>
          <Tabs.Tab value="advisories">{t('csaf.advisories')}</Tabs.Tab>
          <Tabs.Tab value="review" data-testid="csaf-review-tab">
            {t('csaf.review')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="advisories" pt="md">
          <AdvisoryList />
        </Tabs.Panel>
        <Tabs.Panel value="review" pt="md">
          <ReviewQueue />
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
};

const AdvisoryList = () => {
  const { t, i18n } = useTranslation();
  const list = useLoad(
    () => get<{ items: CsafAdvisory[] }>('/api/v1/csaf-advisories').then((r) => r.items),
    [],
  );
  return (
    <Stack>
      <ErrorAlert error={list.error} />
      <Table withTableBorder striped data-testid="csaf-advisories">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('csaf.trackingId')}</Table.Th>
            <Table.Th>{t('csaf.profile')}</Table.Th>
            <Table.Th>{t('csaf.subject')}</Table.Th>
            <Table.Th>{t('csaf.status')}</Table.Th>
            <Table.Th>{t('csaf.revision')}</Table.Th>
            <Table.Th>{t('csaf.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                <Anchor component={Link} to={csafAdvisoryHref(a.id)} size="sm">
                  {a.trackingId}
                </Anchor>
              </Table.Td>
              <Table.Td>{t(`csaf.profile_${a.profile}`)}</Table.Td>
              <Table.Td>
                {a.productName}
                {a.releaseVersion ? ` ${a.releaseVersion}` : ''}
                {a.vulnerabilityId ? ` · ${a.vulnerabilityId}` : ''}
              </Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[a.status]} variant="light">
                  {t(`csaf.status_${a.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{a.currentRevision}</Table.Td>
              <Table.Td>{formatDateTime(a.updatedAt, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('csaf.empty')}
        </Text>
      )}
    </Stack>
  );
};

const ReviewQueue = () => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const canTriage = can('vulnerabilities:triage');
  const [status, setStatus] = useState('pending');
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const list = useLoad(
    () => get<{ items: CsafMatch[] }>(`/api/v1/csaf-matches${query({ status })}`).then((r) => r.items),
    [status],
  );
  const decide = async (id: string, action: 'confirm' | 'dismiss') => {
    setError(null);
    try {
      await post(
        `/api/v1/csaf-matches/${id}/${action}`,
        action === 'dismiss' ? { reason: reasons[id] ?? '' } : undefined,
      );
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('csaf.reviewHelp')}
      </Text>
      <NativeSelect
        label={t('csaf.reviewStatus')}
        value={status}
        onChange={(e) => setStatus(e.currentTarget.value)}
        data={['pending', 'confirmed', 'dismissed'].map((s) => ({ value: s, label: t(`csaf.review_${s}`) }))}
        w={220}
        data-testid="csaf-review-status"
      />
      <ErrorAlert error={error ?? list.error} />
      <Table withTableBorder striped data-testid="csaf-matches">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('csaf.vulnerability')}</Table.Th>
            <Table.Th>{t('csaf.component')}</Table.Th>
            <Table.Th>{t('csaf.productRelease')}</Table.Th>
            <Table.Th>{t('csaf.compared')}</Table.Th>
            <Table.Th>{t('csaf.seen')}</Table.Th>
            <Table.Th>{status === 'pending' ? t('csaf.decision') : t('csaf.reason')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data?.map((m) => {
            const r = m.matchReason as { vendor?: string; product?: string; version?: string };
            return (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Stack gap={0}>
                    <Text size="sm">{m.vulnerabilityId}</Text>
                    <Text size="xs" c="dimmed">
                      {m.advisoryId}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {m.component} {m.componentVersion ?? ''}
                  {m.supplier && (
                    <Text size="xs" c="dimmed">
                      {m.supplier}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {m.productName} {m.releaseVersion}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {t('csaf.comparedText', {
                      vendor: r.vendor ?? '—',
                      product: r.product ?? '—',
                      version: r.version ?? '—',
                    })}
                  </Text>
                  <Badge color="yellow" variant="light" size="xs">
                    {t('csaf.lowConfidence')}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDateTime(m.firstSeenAt, i18n.language)}</Table.Td>
                <Table.Td>
                  {status === 'pending' && canTriage ? (
                    <Stack gap={4}>
                      <Group gap={4}>
                        <Button size="xs" onClick={() => void decide(m.id, 'confirm')}>
                          {t('csaf.confirm')}
                        </Button>
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          disabled={(reasons[m.id] ?? '').trim().length < 10}
                          onClick={() => void decide(m.id, 'dismiss')}
                        >
                          {t('csaf.dismiss')}
                        </Button>
                      </Group>
                      <TextInput
                        size="xs"
                        placeholder={t('csaf.dismissReason')}
                        value={reasons[m.id] ?? ''}
                        onChange={(e) => {
                          const value = e.currentTarget.value;
                          setReasons((prev) => ({ ...prev, [m.id]: value }));
                        }}
                      />
                    </Stack>
                  ) : (
                    <Text size="xs">{m.reviewReason ?? t(`csaf.review_${m.reviewStatus}`)}</Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {list.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('csaf.reviewEmpty')}
        </Text>
      )}
    </Stack>
  );
};

export const CsafAdvisoryPage = () => {
  const { t, i18n } = useTranslation();
  const { advisoryId = '' } = useParams();
  const { can } = useSession();
  const [status, setStatus] = useState<'interim' | 'final'>('final');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const detail = useLoad(
    () => get<CsafAdvisoryDetail>(`/api/v1/csaf-advisories/${advisoryId}`),
    [advisoryId],
  );
  const a = detail.data;
  const issue = async () => {
    if (!a) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await post(`/api/v1/csaf-advisories/${a.id}/issue`, {
        status,
        version: a.version,
        ...(summary.trim() ? { summary: summary.trim() } : {}),
      });
      setSummary('');
      detail.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page
      title={a ? a.trackingId : t('csaf.title')}
      help={a?.title}
      actions={
        <Anchor component={Link} to="/csaf" size="sm">
          {t('csaf.back')}
        </Anchor>
      }
    >
      <ErrorAlert error={detail.error ?? error} />
      {a && (
        <Stack>
          <Group>
            <Badge color={STATUS_COLOR[a.status]} variant="light" data-testid="csaf-status">
              {t(`csaf.status_${a.status}`)}
            </Badge>
            <Text size="sm">{t(`csaf.profile_${a.profile}`)}</Text>
            {a.currentRevision > 0 && a.changedSinceIssue && (
              <Badge color="orange" variant="outline">
                {t('csaf.changed')}
              </Badge>
            )}
          </Group>
          {can('vulnerabilities:triage') && (
            <Group align="flex-end">
              <NativeSelect
                label={t('csaf.issueAs')}
                value={status}
                onChange={(e) => setStatus(e.currentTarget.value as 'interim' | 'final')}
                data={(a.status === 'final' ? ['final'] : ['interim', 'final']).map((s) => ({
                  value: s,
                  label: t(`csaf.status_${s}`),
                }))}
                w={160}
              />
              <Textarea
                label={t('csaf.summary')}
                placeholder={a.currentRevision === 0 ? t('csaf.summaryInitial') : t('csaf.summaryUpdate')}
                value={summary}
                onChange={(e) => setSummary(e.currentTarget.value)}
                autosize
                minRows={1}
                w={420}
              />
              <Button loading={busy} onClick={() => void issue()} data-testid="csaf-issue">
                {t('csaf.issue')}
              </Button>
            </Group>
          )}
          <Table withTableBorder striped data-testid="csaf-revisions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('csaf.revision')}</Table.Th>
                <Table.Th>{t('csaf.status')}</Table.Th>
                <Table.Th>{t('csaf.summary')}</Table.Th>
                <Table.Th>{t('csaf.issuedBy')}</Table.Th>
                <Table.Th>{t('csaf.issuedAt')}</Table.Th>
                <Table.Th>SHA-256</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...a.revisions].reverse().map((r) => (
                <Table.Tr key={r.revision}>
                  <Table.Td>
                    <Anchor href={`/api/v1/csaf-advisories/${a.id}/revisions/${r.revision}`} size="sm">
                      {r.revision}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t(`csaf.status_${r.status}`)}</Table.Td>
                  <Table.Td>{r.summary}</Table.Td>
                  <Table.Td>{r.issuedBy}</Table.Td>
                  <Table.Td>{formatDateTime(r.issuedAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Code>{r.sha256.slice(0, 16)}…</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {a.revisions.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('csaf.notIssued')}
            </Text>
          )}
        </Stack>
      )}
    </Page>
  );
};

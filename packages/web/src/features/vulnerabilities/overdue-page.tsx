import { Anchor, Badge, Card, Group, NativeSelect, NumberInput, Stack, Table, Text } from '@mantine/core';
import type { OverdueList, Product } from '@medsec/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { get, query } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDate } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { SEVERITIES, type Severity, type VexState } from './findings-api.ts';
import { SeverityBadge, StateBadge } from './labels.tsx';

/**
 * Overdue / 기한 초과: open findings past their fix-by date (from the organization's deadline policy), or due within
 * N days, across products and releases, oldest first, with the days overdue. Filters are kept in the URL.
 */
export const OverduePage = () => {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const productId = params.get('productId') ?? '';
  const severity = params.get('severity') ?? '';
  const within = Number.parseInt(params.get('withinDays') ?? '14', 10) || 0;
  const set = (key: string, value: string) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (value === '') {
          p.delete(key);
        } else {
          p.set(key, value);
        }
        return p;
      },
      { replace: true },
    );
  const products = useLoad(
    () => get<{ items: Product[] }>(`/api/v1/products${query({ pageSize: 100 })}`).then((r) => r.items),
    [],
  );
  const list = useLoad(
    () =>
      get<OverdueList>(
        `/api/v1/findings/overdue${query({ productId, severity, withinDays: Math.min(365, Math.max(0, within)) })}`,
      ),
    [productId, severity, within],
  );
  const data = list.data;
  return (
    <Page
      title={t('overdue.title')}
      help={t('overdue.help')}
      actions={
        <Anchor component={Link} to="/vulnerabilities" size="sm">
          {t('overdue.allFindings')}
        </Anchor>
      }
    >
      <Group align="flex-end" data-testid="overdue-filters">
        <NativeSelect
          label={t('findings.product')}
          value={productId}
          onChange={(e) => set('productId', e.currentTarget.value)}
          data={[
            { value: '', label: t('common.all') },
            ...(products.data ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.model}` })),
          ]}
        />
        <NativeSelect
          label={t('findings.severity')}
          value={severity}
          onChange={(e) => set('severity', e.currentTarget.value)}
          data={[
            { value: '', label: t('common.all') },
            ...SEVERITIES.map((s) => ({ value: s, label: t(`findings.severity_${s}`) })),
          ]}
          data-testid="overdue-severity"
        />
        <NumberInput
          label={t('overdue.within')}
          min={0}
          max={365}
          value={within}
          onChange={(v) => set('withinDays', String(typeof v === 'number' ? v : Number.parseInt(v, 10) || 0))}
          w={160}
          data-testid="overdue-within"
        />
      </Group>
      <ErrorAlert error={list.error ?? products.error} />
      {data && (
        <Group>
          <Card withBorder padding="sm" data-testid="overdue-count">
            <Text size="xs" c="dimmed">
              {t('overdue.overdueCount')}
            </Text>
            <Text fw={700} size="xl" c={data.counts.overdue > 0 ? 'red' : undefined}>
              {data.counts.overdue}
            </Text>
          </Card>
          <Card withBorder padding="sm" data-testid="due-soon-count">
            <Text size="xs" c="dimmed">
              {t('overdue.dueSoonCount', { days: data.withinDays })}
            </Text>
            <Text fw={700} size="xl" c={data.counts.dueSoon > 0 ? 'orange' : undefined}>
              {data.counts.dueSoon}
            </Text>
          </Card>
        </Group>
      )}
      <Table withTableBorder striped data-testid="overdue-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('overdue.days')}</Table.Th>
            <Table.Th>{t('findings.dueDate')}</Table.Th>
            <Table.Th>{t('findings.severity')}</Table.Th>
            <Table.Th>{t('overdue.vulnerability')}</Table.Th>
            <Table.Th>{t('findings.product')}</Table.Th>
            <Table.Th>{t('findings.component')}</Table.Th>
            <Table.Th>{t('findings.state')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data?.items.map((i) => (
            <Table.Tr key={i.findingId} data-status={i.status}>
              <Table.Td>
                <Badge color={i.status === 'overdue' ? 'red' : 'orange'} variant="light" tt="none">
                  {i.daysOverdue > 0
                    ? t('overdue.daysOverdue', { count: i.daysOverdue })
                    : i.daysOverdue === 0
                      ? t('overdue.dueToday')
                      : t('overdue.daysLeft', { count: -i.daysOverdue })}
                </Badge>
              </Table.Td>
              <Table.Td>{formatDate(i.dueDate, i18n.language)}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <SeverityBadge severity={i.severity as Severity} />
                  {i.kev && (
                    <Badge color="red" variant="outline">
                      KEV
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  <Anchor
                    component={Link}
                    to={`/vulnerabilities${query({ productId: i.productId, releaseId: i.releaseId })}`}
                    size="sm"
                  >
                    {i.vulnerabilityId}
                  </Anchor>
                  {i.summary && (
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {i.summary}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td>
                {i.product} {i.release}
              </Table.Td>
              <Table.Td>
                {i.component}
                {i.componentVersion ? ` ${i.componentVersion}` : ''}
              </Table.Td>
              <Table.Td>
                <StateBadge state={i.state as VexState} />
              </Table.Td>
            </Table.Tr>
          ))}
          {data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text size="sm" c="dimmed" ta="center" data-testid="overdue-empty">
                  {t('overdue.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Page>
  );
};

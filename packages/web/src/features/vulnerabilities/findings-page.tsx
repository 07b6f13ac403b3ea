import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  ScrollArea,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import type { Product } from '@medsec/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { get, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDate } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { listReleases } from '../products/products-api.ts';
import { AdvisoryImportModal } from './advisory-import.tsx';
import { DeadlinePolicyModal } from './deadline-policy.tsx';
import { FindingDrawer } from './finding-drawer.tsx';
import {
  exportFindingsHref,
  type Finding,
  type FindingFilters,
  findingsQuery,
  isOpen,
  VEX_EXPORT_FORMATS,
  VEX_STATES,
} from './findings-api.ts';
import { FindingsCharts } from './findings-charts.tsx';
import { FindingsTimeline } from './findings-timeline.tsx';
import { EpssText, SeverityBadge, StateBadge } from './labels.tsx';
import { vulnerabilityHref } from './vulnerability-page.tsx';

const FILTER_KEYS = ['productId', 'releaseId', 'state', 'kev', 'overdue'] as const;

/**
 * Findings (vulnerability × component × release) across products: filters kept in the URL (so the SBOM page and the
 * assessment board can link here), charts of open findings by severity and of all by VEX state, the table with
 * severity, KEV/EPSS and due dates, a triage drawer per finding, VEX/CSV exports of a release, and advisory import.
 */
export const FindingsPage = () => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const triage = can('vulnerabilities:triage');
  const [params, setParams] = useSearchParams();
  const filters: FindingFilters = {
    productId: params.get('productId') ?? '',
    releaseId: params.get('releaseId') ?? '',
    state: params.get('state') ?? '',
    kev: params.get('kev') === 'true',
    overdue: params.get('overdue') === 'true',
  };
  const setFilter = (next: Partial<FindingFilters>) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        const merged = { ...filters, ...next };
        // another product: its releases differ
        if (next.productId !== undefined && next.productId !== filters.productId) {
          merged.releaseId = '';
        }
        for (const key of FILTER_KEYS) {
          const v = merged[key];
          if (v === '' || v === false) {
            p.delete(key);
          } else {
            p.set(key, String(v));
          }
        }
        return p;
      },
      { replace: true },
    );
  const [tick, setTick] = useState(0);
  // the drawer keeps the finding it opened with, even when a filter no longer lists it after a decision
  const [open, setOpen] = useState<Finding | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [policyOpen, setPolicyOpen] = useState(false);
  const products = useLoad(
    () => get<{ items: Product[] }>(`/api/v1/products${query({ pageSize: 100 })}`).then((r) => r.items),
    [],
  );
  const releases = useLoad(
    () => (filters.productId ? listReleases(filters.productId) : Promise.resolve([])),
    [filters.productId],
  );
  const q = findingsQuery(filters);
  const list = useLoad(() => get<{ items: Finding[] }>(`/api/v1/findings${q}`), [q, tick]);
  const items = list.data?.items ?? [];
  const release = releases.data?.find((r) => r.id === filters.releaseId);
  const openCount = items.filter((f) => isOpen(f.state)).length;
  return (
    <Page
      title={t('findings.title')}
      help={t('findings.help')}
      actions={
        triage && (
          <Group>
            <Button variant="default" onClick={() => setPolicyOpen(true)} data-testid="deadline-policy-open">
              {t('findings.deadlinePolicy')}
            </Button>
            <Button onClick={() => setImportOpen(true)} data-testid="advisories-import-open">
              {t('findings.importAdvisories')}
            </Button>
          </Group>
        )
      }
    >
      <Card withBorder>
        <Group align="flex-end" gap="md">
          <NativeSelect
            label={t('findings.product')}
            value={filters.productId}
            onChange={(e) => setFilter({ productId: e.currentTarget.value })}
            data={[
              { value: '', label: t('common.all') },
              ...(products.data ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.model}` })),
            ]}
            data-testid="filter-product"
            miw={220}
          />
          <NativeSelect
            label={t('findings.release')}
            value={filters.releaseId}
            disabled={!filters.productId}
            onChange={(e) => setFilter({ releaseId: e.currentTarget.value })}
            data={[
              { value: '', label: t('common.all') },
              ...(releases.data ?? []).map((r) => ({ value: r.id, label: r.version })),
            ]}
            data-testid="filter-release"
            miw={140}
          />
          <NativeSelect
            label={t('findings.state')}
            value={filters.state}
            onChange={(e) => setFilter({ state: e.currentTarget.value })}
            data={[
              { value: '', label: t('common.all') },
              ...VEX_STATES.map((s) => ({ value: s, label: t(`findings.state_${s}`) })),
            ]}
            data-testid="filter-state"
            miw={160}
          />
          <Checkbox
            label={t('findings.kevOnly')}
            checked={filters.kev}
            onChange={(e) => setFilter({ kev: e.currentTarget.checked })}
            data-testid="filter-kev"
            mb={8}
          />
          <Checkbox
            label={t('findings.overdueOnly')}
            checked={filters.overdue}
            onChange={(e) => setFilter({ overdue: e.currentTarget.checked })}
            data-testid="filter-overdue"
            mb={8}
          />
          <Button
            variant="subtle"
            size="xs"
            mb={6}
            onClick={() => setParams(new URLSearchParams(), { replace: true })}
          >
            {t('common.reset')}
          </Button>
        </Group>
      </Card>
      <ErrorAlert error={list.error ?? products.error} />
      <FindingsCharts findings={items} />
      <FindingsTimeline productId={filters.productId} releaseId={filters.releaseId} tick={tick} />
      <Group justify="space-between">
        <Text size="sm" data-testid="findings-count" data-count={list.data ? items.length : ''}>
          {list.data ? t('findings.count', { count: items.length, open: openCount }) : t('common.loading')}
        </Text>
        {release ? (
          <Group gap="xs">
            {filters.productId && (
              <Anchor
                component={Link}
                to={`/products/${filters.productId}/releases/${release.id}/sboms`}
                size="sm"
                data-testid="findings-sbom-link"
              >
                {t('findings.sbomOf', { version: release.version })}
              </Anchor>
            )}
            {VEX_EXPORT_FORMATS.map((f) => (
              <Button
                key={f}
                component="a"
                href={exportFindingsHref(release.id, f)}
                download
                variant="default"
                size="xs"
                data-testid={`findings-export-${f}`}
              >
                {t(`findings.export_${f}`)}
              </Button>
            ))}
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            {t('findings.exportHint')}
          </Text>
        )}
      </Group>
      <ScrollArea>
        <Table withTableBorder highlightOnHover fz="sm" miw={980} data-testid="findings-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('findings.vulnerability')}</Table.Th>
              <Table.Th>{t('findings.severity')}</Table.Th>
              <Table.Th>KEV / EPSS</Table.Th>
              <Table.Th>{t('findings.component')}</Table.Th>
              <Table.Th>{t('findings.productRelease')}</Table.Th>
              <Table.Th>{t('findings.state')}</Table.Th>
              <Table.Th>{t('findings.dueDate')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data && items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={8}>
                  <Text size="sm" c="dimmed" data-testid="findings-empty">
                    {t('findings.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {items.map((f) => {
              const score = f.environmental?.score ?? f.cvss3?.score ?? f.cvss4?.score ?? null;
              return (
                <Table.Tr
                  key={f.id}
                  data-testid="finding-row"
                  data-vulnerability={f.vulnerabilityId}
                  data-component={f.component}
                  data-release={f.release}
                  data-state={f.state}
                  data-overdue={f.overdue}
                >
                  <Table.Td maw={280}>
                    <Anchor
                      component={Link}
                      to={vulnerabilityHref(f.vulnerabilityId)}
                      size="sm"
                      fw={600}
                      data-testid="finding-vulnerability-link"
                    >
                      {f.vulnerabilityId}
                    </Anchor>
                    {f.aliases.length > 0 && (
                      <Text size="xs" c="dimmed">
                        {f.aliases.slice(0, 3).join(', ')}
                      </Text>
                    )}
                    {f.summary && (
                      <Text size="xs" lineClamp={2}>
                        {f.summary}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2} align="flex-start">
                      <SeverityBadge severity={f.severity} />
                      {score !== null && (
                        <Text size="xs" c="dimmed">
                          CVSS {score}
                          {f.environmental ? ` (${t('findings.environmentalShort')})` : ''}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {f.kev && (
                        <Tooltip label={t('findings.kevSince', { date: f.kevDateAdded ?? '' })}>
                          <Badge color="red" variant="filled" data-testid="finding-kev">
                            KEV
                          </Badge>
                        </Tooltip>
                      )}
                      <EpssText epss={f.epss} percentile={f.epssPercentile} />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{f.component}</Text>
                    <Text size="xs" c="dimmed">
                      {f.componentVersion ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/products/${f.productId}/releases/${f.releaseId}/sboms`}
                      size="sm"
                    >
                      {f.product} {f.release}
                    </Anchor>
                  </Table.Td>
                  <Table.Td miw={150}>
                    <StateBadge state={f.state} />
                    {f.justification && (
                      <Text size="xs" c="dimmed">
                        {t(`findings.justification_${f.justification}`)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Text size="sm" c={f.overdue ? 'red' : undefined} fw={f.overdue ? 700 : undefined}>
                        {formatDate(f.dueDate, i18n.language)}
                      </Text>
                      {f.overdue && (
                        <Badge color="red" size="xs" data-testid="finding-overdue">
                          {t('findings.overdue')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="light"
                      onClick={() => setOpen(f)}
                      data-testid="finding-open"
                    >
                      {triage ? t('findings.triageOpen') : t('common.details')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <FindingDrawer finding={open} onClose={() => setOpen(null)} onChanged={() => setTick((n) => n + 1)} />
      <AdvisoryImportModal
        opened={importOpen}
        onClose={() => setImportOpen(false)}
        onImported={() => setTick((n) => n + 1)}
      />
      <DeadlinePolicyModal opened={policyOpen} onClose={() => setPolicyOpen(false)} />
    </Page>
  );
};

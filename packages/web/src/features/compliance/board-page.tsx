import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  RingProgress,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import type { AssessmentItem, Requirement } from '@medsec/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { get, query } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { getProduct, listReleases, type Progress, percent } from '../products/products-api.ts';
import { DiffView, MissingView } from './board-extras.tsx';
import { ItemDrawer } from './item-drawer.tsx';
import { emptyFilters, type Filters, ItemsTable } from './items-table.tsx';
import { ArticleBars, type ArticleInfo, GroupChart, StatusLegend } from './progress-charts.tsx';

const TABS = ['progress', 'items', 'missing', 'diff'] as const;
type Tab = (typeof TABS)[number];

const Ring = ({ label, value, testId }: { label: string; value: number; testId: string }) => (
  <Group gap="sm" wrap="nowrap">
    <RingProgress
      size={84}
      thickness={9}
      roundCaps={value > 0}
      sections={[{ value, color: value >= 100 ? 'teal' : 'blue' }]}
      label={
        <Text ta="center" size="sm" fw={700} data-testid={testId}>
          {percent(value)}
        </Text>
      }
    />
    <Text size="sm">{label}</Text>
  </Group>
);

/**
 * The assessment board of one release: progress by MFDS article and by group (drawn), the item table with inline
 * and bulk editing, what is missing for submission, the changes since the base release, and the 붙임2 export.
 */
export const BoardPage = () => {
  const { t } = useTranslation();
  const { id = '', releaseId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'progress';
  const setTab = (next: Tab) =>
    setParams((prev) => {
      const p = new URLSearchParams(prev);
      p.set('tab', next);
      return p;
    });
  const [filters, setFilters] = useState<Filters>(emptyFilters);
  const [open, setOpen] = useState<AssessmentItem | null>(null);
  // progressTick: counts and charts; itemsTick: the item list (after bulk or drawer edits)
  const [progressTick, setProgressTick] = useState(0);
  const [itemsTick, setItemsTick] = useState(0);
  const product = useLoad(() => getProduct(id), [id]);
  const releases = useLoad(() => listReleases(id), [id]);
  const progress = useLoad(
    () => get<Progress>(`/api/v1/releases/${releaseId}/assessment/progress`),
    [releaseId, progressTick],
  );
  const articles = useLoad(
    async (): Promise<ArticleInfo[]> =>
      (
        await get<{ items: Requirement[] }>(
          `/api/v1/catalog/requirements${query({ framework: 'mfds-2025', kind: 'article', pageSize: 100 })}`,
        )
      ).items
        .filter((r) => r.article !== null && r.article !== undefined)
        .map((r) => ({
          article: r.article as number,
          titleKo: r.titleKo ?? null,
          titleEn: r.titleEn ?? null,
        }))
        .sort((a, b) => a.article - b.article),
    [],
  );
  const release = releases.data?.find((r) => r.id === releaseId);
  if (!product.data || !releases.data) {
    return product.error || releases.error ? (
      <ErrorAlert error={product.error ?? releases.error} />
    ) : (
      <Loader />
    );
  }
  const base = release?.basedOn ? releases.data.find((r) => r.id === release.basedOn) : undefined;
  const p = progress.data;
  const exportHref = (format: 'csv' | 'xlsx') =>
    `/api/v1/releases/${releaseId}/assessment/export${query({ format })}`;
  return (
    <Page
      title={`${product.data.name} ${release?.version ?? ''}`}
      help={t('compliance.boardHelp')}
      actions={
        <Group>
          <Anchor component={Link} to={`/products/${id}?tab=releases`} size="sm">
            ← {product.data.name}
          </Anchor>
          <Button component="a" href={exportHref('csv')} download variant="default" data-testid="export-csv">
            {t('compliance.exportCsv')}
          </Button>
          <Button
            component="a"
            href={exportHref('xlsx')}
            download
            variant="default"
            data-testid="export-xlsx"
          >
            {t('compliance.exportXlsx')}
          </Button>
        </Group>
      }
    >
      <ErrorAlert error={progress.error ?? articles.error} />
      <Card withBorder>
        <Group justify="space-between">
          <Group gap="xl">
            <Ring
              label={t('compliance.mandatoryVerified', {
                done: p?.mandatory.byStatus.verified ?? 0,
                total: p?.mandatory.total ?? 0,
              })}
              value={p?.mandatory.verifiedPercent ?? 0}
              testId="board-mandatory-percent"
            />
            <Ring
              label={t('compliance.overallVerified', {
                done: p?.overall.byStatus.verified ?? 0,
                total: p?.overall.total ?? 0,
              })}
              value={p?.overall.verifiedPercent ?? 0}
              testId="board-overall-percent"
            />
          </Group>
          <Stack gap={4} align="flex-end">
            {release && <Badge variant="light">{t(`products.releaseStatus_${release.status}`)}</Badge>}
            {base && (
              <Text size="xs" c="dimmed">
                {t('compliance.basedOn', { version: base.version })}
              </Text>
            )}
          </Stack>
        </Group>
      </Card>
      <Tabs value={tab} onChange={(v) => setTab((v as Tab | null) ?? 'progress')}>
        <Tabs.List>
          {TABS.map((k) => (
            <Tabs.Tab key={k} value={k} data-testid={`board-tab-${k}`}>
              {t(`compliance.tab_${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {tab === 'progress' && p && (
        <SimpleGrid cols={{ base: 1, xl: 2 }}>
          <Card withBorder>
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={5}>{t('compliance.byArticle')}</Title>
              </Group>
              <StatusLegend />
              <ArticleBars
                articles={articles.data ?? []}
                buckets={p.byArticle}
                onSelect={(n) => {
                  setFilters({ ...emptyFilters(), article: String(n) });
                  setTab('items');
                }}
              />
            </Stack>
          </Card>
          <Card withBorder>
            <Stack gap="sm">
              <Title order={5}>{t('compliance.byGroup')}</Title>
              <GroupChart buckets={p.byGroup} />
            </Stack>
          </Card>
        </SimpleGrid>
      )}
      {tab === 'items' && (
        <ItemsTable
          releaseId={releaseId}
          articles={articles.data ?? []}
          filters={filters}
          onFilters={setFilters}
          onOpen={setOpen}
          onChanged={() => setProgressTick((n) => n + 1)}
          tick={itemsTick}
        />
      )}
      {tab === 'missing' && <MissingView releaseId={releaseId} tick={progressTick} onOpen={setOpen} />}
      {tab === 'diff' && <DiffView releaseId={releaseId} base={base?.version ?? null} />}
      <ItemDrawer
        releaseId={releaseId}
        item={open}
        onClose={() => setOpen(null)}
        onChanged={() => {
          setProgressTick((n) => n + 1);
          setItemsTick((n) => n + 1);
        }}
      />
    </Page>
  );
};

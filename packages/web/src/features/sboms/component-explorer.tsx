import {
  Anchor,
  Badge,
  Checkbox,
  Code,
  Group,
  NativeSelect,
  Pagination,
  ScrollArea,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import type { ComponentSearchResult, FacetValue } from '@medsec/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, query } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { findingsHref } from '../vulnerabilities/findings-api.ts';
import { DependencyTree } from './dependency-tree.tsx';

/** core's FACET_NONE: the facet value of components without a licence or supplier (the web imports core's types only). */
export const FACET_NONE = '__none__';
const PAGE_SIZE = 50;

type View = 'list' | 'tree';

interface Filters {
  q: string;
  license: string;
  supplier: string;
  type: string;
  withFindings: boolean;
  sort: 'name' | '-findings';
}

const EMPTY: Filters = { q: '', license: '', supplier: '', type: '', withFindings: false, sort: 'name' };

/**
 * The component explorer of one SBOM (MFDS 2025 arts. 13, 16): a list searched by name or purl and filtered by
 * licence, supplier, type and open findings, with the counts per value the server computes (facets), or the
 * dependency tree opened level by level. `tick` refreshes the findings counts after matching.
 */
export const ComponentExplorer = ({
  sbomId,
  productId,
  releaseId,
  tick,
}: {
  sbomId: string;
  productId: string;
  releaseId: string;
  tick: number;
}) => {
  const { t } = useTranslation();
  const [view, setView] = useState<View>('list');
  const [reveal, setReveal] = useState<{ path: string[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const showInTree = async (key: string) => {
    setError(null);
    try {
      const { path } = await get<{ path: string[] }>(
        `/api/v1/sboms/${sbomId}/dependencies/path${query({ key })}`,
      );
      setReveal({ path });
      setView('tree');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack gap="sm" data-testid="component-explorer">
      <SegmentedControl
        w="fit-content"
        value={view}
        onChange={(v) => {
          setReveal(null);
          setView(v as View);
        }}
        data={[
          { value: 'list', label: t('explorer.viewList') },
          { value: 'tree', label: t('explorer.viewTree') },
        ]}
        data-testid="explorer-view"
      />
      <ErrorAlert error={error} />
      {view === 'list' ? (
        <ComponentList
          sbomId={sbomId}
          productId={productId}
          releaseId={releaseId}
          tick={tick}
          onShowInTree={(key) => void showInTree(key)}
        />
      ) : (
        <DependencyTree
          key={reveal?.path.join('\n') ?? ''}
          sbomId={sbomId}
          tick={tick}
          reveal={reveal?.path}
        />
      )}
    </Stack>
  );
};

/** "MIT (12)" options of a facet, with the chosen value kept even when the other filters leave it no component. */
const facetOptions = (
  values: FacetValue[] | undefined,
  chosen: string,
  all: string,
  none: string,
): { value: string; label: string }[] => {
  const list = values ?? [];
  const options = list.map((v) => ({
    value: v.value,
    label: `${v.value === FACET_NONE ? none : v.value} (${v.count})`,
  }));
  if (chosen && !list.some((v) => v.value === chosen)) {
    options.unshift({ value: chosen, label: `${chosen === FACET_NONE ? none : chosen} (0)` });
  }
  return [{ value: '', label: all }, ...options];
};

const ComponentList = ({
  sbomId,
  productId,
  releaseId,
  tick,
  onShowInTree,
}: {
  sbomId: string;
  productId: string;
  releaseId: string;
  tick: number;
  onShowInTree: (key: string) => void;
}) => {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [typed, setTyped] = useState('');
  const [page, setPage] = useState(1);
  useEffect(() => {
    const timer = setTimeout(
      () => setFilters((f) => (f.q === typed.trim() ? f : { ...f, q: typed.trim() })),
      250,
    );
    return () => clearTimeout(timer);
  }, [typed]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters or another SBOM start on the first page
  useEffect(() => setPage(1), [filters, sbomId]);
  const set = (next: Partial<Filters>) => setFilters((f) => ({ ...f, ...next }));
  const q = query({
    q: filters.q || undefined,
    license: filters.license || undefined,
    supplier: filters.supplier || undefined,
    type: filters.type || undefined,
    withFindings: filters.withFindings ? 'true' : undefined,
    sort: filters.sort,
    page,
    pageSize: PAGE_SIZE,
  });
  const list = useLoad(
    () => get<ComponentSearchResult>(`/api/v1/sboms/${sbomId}/components/search${q}`),
    [sbomId, q, tick],
  );
  const data = list.data;
  const items = data?.items ?? [];
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const none = t('explorer.none');
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('explorer.search')}
          placeholder={t('sboms.searchComponents')}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          data-testid="sbom-component-search"
          w={260}
        />
        <NativeSelect
          label={t('explorer.license')}
          value={filters.license}
          onChange={(e) => set({ license: e.currentTarget.value })}
          data={facetOptions(data?.facets.licenses, filters.license, t('common.all'), none)}
          data-testid="explorer-license"
          w={190}
        />
        <NativeSelect
          label={t('explorer.supplier')}
          value={filters.supplier}
          onChange={(e) => set({ supplier: e.currentTarget.value })}
          data={facetOptions(data?.facets.suppliers, filters.supplier, t('common.all'), none)}
          data-testid="explorer-supplier"
          w={190}
        />
        <NativeSelect
          label={t('explorer.type')}
          value={filters.type}
          onChange={(e) => set({ type: e.currentTarget.value })}
          data={facetOptions(data?.facets.types, filters.type, t('common.all'), none).map((o) =>
            o.value && o.value !== FACET_NONE
              ? {
                  ...o,
                  label: o.label.replace(o.value, t(`explorer.type_${o.value}`, { defaultValue: o.value })),
                }
              : o,
          )}
          data-testid="explorer-type"
          w={170}
        />
        <NativeSelect
          label={t('explorer.sort')}
          value={filters.sort}
          onChange={(e) => set({ sort: e.currentTarget.value as Filters['sort'] })}
          data={[
            { value: 'name', label: t('explorer.sort_name') },
            { value: '-findings', label: t('explorer.sort_findings') },
          ]}
          data-testid="explorer-sort"
          w={150}
        />
        <Checkbox
          label={t('explorer.withFindings')}
          checked={filters.withFindings}
          onChange={(e) => set({ withFindings: e.currentTarget.checked })}
          data-testid="explorer-with-findings"
          mb={8}
        />
        <Anchor
          size="sm"
          mb={8}
          component="button"
          onClick={() => {
            setTyped('');
            setFilters(EMPTY);
          }}
          data-testid="explorer-reset"
        >
          {t('common.reset')}
        </Anchor>
      </Group>
      {data && (
        <Text size="sm" c="dimmed" data-testid="sbom-component-count" data-count={data.total}>
          {t('explorer.shown', { count: data.total })}
        </Text>
      )}
      <ErrorAlert error={list.error} />
      <ScrollArea>
        <Table withTableBorder highlightOnHover fz="sm" miw={1000} data-testid="sbom-components">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sboms.component')}</Table.Th>
              <Table.Th>{t('sboms.version')}</Table.Th>
              <Table.Th>{t('sboms.type')}</Table.Th>
              <Table.Th>purl / CPE</Table.Th>
              <Table.Th>{t('sboms.supplier')}</Table.Th>
              <Table.Th>{t('sboms.licenses')}</Table.Th>
              <Table.Th>{t('explorer.dependencies')}</Table.Th>
              <Table.Th>{t('sboms.findings')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data && items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={8}>
                  <Text size="sm" c="dimmed">
                    {t('sboms.noComponents')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {items.map((c) => (
              <Table.Tr
                key={c.id}
                data-testid={`component-row-${c.name}`}
                data-findings={c.findings}
                data-open-findings={c.openFindings}
                data-type={c.type}
              >
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {c.group ? `${c.group}/` : ''}
                    {c.name}
                  </Text>
                </Table.Td>
                <Table.Td>{c.version ?? '—'}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color="gray" size="sm" tt="none">
                    {t(`explorer.type_${c.type}`, { defaultValue: c.type })}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {c.purl || c.cpe ? (
                    <Tooltip label={c.purl ?? c.cpe}>
                      <Code style={{ maxWidth: 260, display: 'inline-block', overflow: 'hidden' }}>
                        {c.purl ?? c.cpe}
                      </Code>
                    </Tooltip>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" truncate maw={150}>
                    {c.supplier ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" truncate maw={150}>
                    {c.licenses ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Tooltip label={t('explorer.depsTooltip', { out: c.dependsOn, in: c.dependents })}>
                      <Text size="xs">
                        ↓{c.dependsOn} · ↑{c.dependents}
                      </Text>
                    </Tooltip>
                    <Anchor
                      component="button"
                      size="xs"
                      onClick={() => onShowInTree(c.key)}
                      data-testid="component-show-in-tree"
                    >
                      {t('explorer.showInTree')}
                    </Anchor>
                  </Group>
                </Table.Td>
                <Table.Td>
                  {c.findings > 0 ? (
                    <Anchor
                      component={Link}
                      to={findingsHref({ productId, releaseId })}
                      underline="never"
                      aria-label={t('explorer.findingsLink', { count: c.openFindings, total: c.findings })}
                    >
                      <Badge
                        color={c.openFindings > 0 ? 'red' : 'teal'}
                        variant={c.openFindings > 0 ? 'filled' : 'light'}
                        data-testid={`component-findings-${c.name}`}
                      >
                        {c.openFindings} / {c.findings}
                      </Badge>
                    </Anchor>
                  ) : (
                    <Badge color="gray" variant="light" data-testid={`component-findings-${c.name}`}>
                      0
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" />}
    </Stack>
  );
};

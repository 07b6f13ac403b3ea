import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  ScrollArea,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import type { AssessmentItem } from '@medsec/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { ITEM_STATUSES, METHODS, pick } from '../products/products-api.ts';
import { BulkBar, ownerOptions, useItemSaver, useMembers } from './item-editing.tsx';
import { ObligationTag, refLabel, STATUS_COLOR } from './labels.tsx';
import type { ArticleInfo } from './progress-charts.tsx';

export interface Filters {
  status: string;
  article: string;
  obligation: string;
  framework: string;
  q: string;
}
export const emptyFilters = (): Filters => ({
  status: '',
  article: '',
  obligation: '',
  framework: '',
  q: '',
});

/**
 * The assessment items of a release with filters (status, article, obligation, framework, text), inline editing of
 * status, method, owner and due date, and multi-select with a bulk "set".
 */
export const ItemsTable = ({
  releaseId,
  articles,
  filters,
  onFilters,
  onOpen,
  onChanged,
  tick,
}: {
  releaseId: string;
  articles: ArticleInfo[];
  filters: Filters;
  onFilters: (f: Filters) => void;
  onOpen: (item: AssessmentItem) => void;
  onChanged: () => void;
  tick: number;
}) => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const write = can('compliance:write');
  const members = useMembers();
  const load = useLoad(
    () =>
      get<{ items: AssessmentItem[] }>(
        `/api/v1/releases/${releaseId}/assessment${query({
          status: filters.status,
          article: filters.article,
          obligation: filters.obligation,
          framework: filters.framework,
        })}`,
      ),
    [releaseId, filters.status, filters.article, filters.obligation, filters.framework, tick],
  );
  const [rows, setRows] = useState<AssessmentItem[]>([]);
  useEffect(() => {
    if (load.data) {
      setRows(load.data.items);
    }
  }, [load.data]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const saver = useItemSaver(
    (next) => {
      setRows((list) => list.map((r) => (r.id === next.id ? next : r)));
      onChanged();
    },
    () => load.reload(),
  );
  const needle = filters.q.trim().toLowerCase();
  const shown = rows.filter(
    (r) =>
      !needle ||
      `${r.ref} ${r.titleKo ?? ''} ${r.titleEn ?? ''} ${r.textKo} ${r.textEn ?? ''}`
        .toLowerCase()
        .includes(needle),
  );
  const allSelected = shown.length > 0 && shown.every((r) => selected.has(r.id));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) {
        next.add(id);
      } else {
        next.delete(id);
      }
      return next;
    });
  const set = (k: keyof Filters) => (e: { currentTarget: { value: string } }) =>
    onFilters({ ...filters, [k]: e.currentTarget.value });
  return (
    <>
      <Group align="flex-end" gap="sm">
        <NativeSelect
          label={t('common.status')}
          value={filters.status}
          onChange={set('status')}
          data={[
            { value: '', label: t('common.all') },
            ...ITEM_STATUSES.map((s) => ({ value: s, label: t(`compliance.status_${s}`) })),
          ]}
          data-testid="filter-status"
        />
        <NativeSelect
          label={t('compliance.article')}
          value={filters.article}
          onChange={set('article')}
          data={[
            { value: '', label: t('common.all') },
            ...articles.map((a) => ({
              value: String(a.article),
              label: t('catalog.article', { n: a.article }),
            })),
          ]}
          data-testid="filter-article"
        />
        <NativeSelect
          label={t('catalog.obligation')}
          value={filters.obligation}
          onChange={set('obligation')}
          data={[
            { value: '', label: t('common.all') },
            ...['mandatory', 'recommended', 'mixed'].map((o) => ({ value: o, label: t(`catalog.ob_${o}`) })),
          ]}
          data-testid="filter-obligation"
        />
        <NativeSelect
          label={t('compliance.framework')}
          value={filters.framework}
          onChange={set('framework')}
          data={[
            { value: '', label: t('common.all') },
            ...['mfds-2025', 'kisa-healthcare'].map((f) => ({
              value: f,
              label: t(`catalog.framework_${f}`),
            })),
          ]}
          data-testid="filter-framework"
        />
        <TextInput label={t('common.search')} value={filters.q} onChange={set('q')} data-testid="filter-q" />
        <Button variant="subtle" size="xs" onClick={() => onFilters(emptyFilters())}>
          {t('common.reset')}
        </Button>
      </Group>
      {saver.conflict && (
        <Alert color="orange" withCloseButton onClose={saver.clearConflict} data-testid="conflict-alert">
          {t('compliance.conflict')}
        </Alert>
      )}
      <ErrorAlert error={saver.error ?? load.error} />
      {write && selected.size > 0 && (
        <BulkBar
          releaseId={releaseId}
          ids={[...selected]}
          members={members}
          onDone={() => {
            setSelected(new Set());
            load.reload();
            onChanged();
          }}
        />
      )}
      <Text size="xs" c="dimmed" data-testid="items-count">
        {t('compliance.itemsShown', { count: shown.length })}
      </Text>
      <ScrollArea>
        <Table withTableBorder verticalSpacing={4} fz="sm" miw={1000} data-testid="items-table">
          <Table.Thead>
            <Table.Tr>
              {write && (
                <Table.Th w={32}>
                  <Checkbox
                    aria-label={t('compliance.selectAll')}
                    checked={allSelected}
                    indeterminate={!allSelected && shown.some((r) => selected.has(r.id))}
                    onChange={(e) =>
                      setSelected(e.currentTarget.checked ? new Set(shown.map((r) => r.id)) : new Set())
                    }
                    data-testid="items-select-all"
                  />
                </Table.Th>
              )}
              <Table.Th>{t('compliance.requirement')}</Table.Th>
              <Table.Th w={150}>{t('common.status')}</Table.Th>
              <Table.Th w={150}>{t('compliance.method')}</Table.Th>
              <Table.Th w={150}>{t('compliance.owner')}</Table.Th>
              <Table.Th w={150}>{t('compliance.dueDate')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((r) => {
              const busy = saver.saving === r.id;
              return (
                <Table.Tr
                  key={r.id}
                  data-testid={`item-row-${r.ref}`}
                  data-status={r.status}
                  data-version={r.version}
                  style={{ borderLeft: `4px solid ${STATUS_COLOR[r.status].css}` }}
                >
                  {write && (
                    <Table.Td>
                      <Checkbox
                        aria-label={r.ref}
                        checked={selected.has(r.id)}
                        onChange={(e) => toggle(r.id, e.currentTarget.checked)}
                        data-testid={`item-select-${r.ref}`}
                      />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Group gap={6} wrap="nowrap" align="flex-start">
                      <Anchor
                        size="sm"
                        fw={600}
                        onClick={() => onOpen(r)}
                        data-testid={`item-open-${r.ref}`}
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        {refLabel(r.ref, t)}
                      </Anchor>
                      <ObligationTag value={r.obligation} />
                    </Group>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {pick(i18n.language, r.titleKo, r.titleEn) || pick(i18n.language, r.textKo, r.textEn)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <NativeSelect
                      size="xs"
                      disabled={!write || busy}
                      value={r.status}
                      aria-label={t('common.status')}
                      data={ITEM_STATUSES.map((s) => ({ value: s, label: t(`compliance.status_${s}`) }))}
                      onChange={(e) =>
                        void saver.save(r, { status: e.currentTarget.value as AssessmentItem['status'] })
                      }
                      data-testid={`item-status-${r.ref}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NativeSelect
                      size="xs"
                      disabled={!write || busy}
                      value={r.method ?? ''}
                      aria-label={t('compliance.method')}
                      data={[
                        { value: '', label: '—' },
                        ...METHODS.map((m) => ({ value: m, label: t(`compliance.method_${m}`) })),
                      ]}
                      onChange={(e) =>
                        void saver.save(r, {
                          method: (e.currentTarget.value || null) as AssessmentItem['method'],
                        })
                      }
                      data-testid={`item-method-${r.ref}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NativeSelect
                      size="xs"
                      disabled={!write || busy}
                      value={r.ownerId ?? ''}
                      aria-label={t('compliance.owner')}
                      data={ownerOptions(members, r)}
                      onChange={(e) => void saver.save(r, { ownerId: e.currentTarget.value || null })}
                      data-testid={`item-owner-${r.ref}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      type="date"
                      disabled={!write || busy}
                      value={r.dueDate ?? ''}
                      aria-label={t('compliance.dueDate')}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        if (v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v)) {
                          void saver.save(r, { dueDate: v || null });
                        }
                      }}
                      data-testid={`item-due-${r.ref}`}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </>
  );
};

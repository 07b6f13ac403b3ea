import {
  Badge,
  Code,
  Group,
  Pagination,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, query } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import type { SbomComponent } from './sboms-api.ts';

const PAGE = 100;

/** The components of one SBOM, searchable by name or purl, with their open findings (refreshed by `tick`). */
export const ComponentsTable = ({ sbomId, tick }: { sbomId: string; tick: number }) => {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  const [page, setPage] = useState(1);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(timer);
  }, [q]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search or SBOM starts on the first page
  useEffect(() => setPage(1), [debounced, sbomId]);
  const list = useLoad(
    () => get<{ items: SbomComponent[] }>(`/api/v1/sboms/${sbomId}/components${query({ q: debounced })}`),
    [sbomId, debounced, tick],
  );
  const items = list.data?.items ?? [];
  const pages = Math.max(1, Math.ceil(items.length / PAGE));
  const shown = items.slice((page - 1) * PAGE, page * PAGE);
  const withFindings = items.filter((c) => c.findings > 0).length;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <TextInput
          placeholder={t('sboms.searchComponents')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-testid="sbom-component-search"
          w={320}
        />
        {list.data && (
          <Text size="sm" c="dimmed" data-testid="sbom-component-count" data-count={items.length}>
            {t('sboms.componentsShown', { count: items.length, withFindings })}
          </Text>
        )}
      </Group>
      <ErrorAlert error={list.error} />
      <ScrollArea>
        <Table withTableBorder highlightOnHover fz="sm" miw={980} data-testid="sbom-components">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sboms.component')}</Table.Th>
              <Table.Th>{t('sboms.version')}</Table.Th>
              <Table.Th>{t('sboms.type')}</Table.Th>
              <Table.Th>purl / CPE</Table.Th>
              <Table.Th>{t('sboms.supplier')}</Table.Th>
              <Table.Th>{t('sboms.licenses')}</Table.Th>
              <Table.Th>{t('sboms.findings')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data && items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text size="sm" c="dimmed">
                    {t('sboms.noComponents')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {shown.map((c) => (
              <Table.Tr key={c.id} data-testid={`component-row-${c.name}`} data-findings={c.findings}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {c.group ? `${c.group}/` : ''}
                    {c.name}
                  </Text>
                </Table.Td>
                <Table.Td>{c.version ?? '—'}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color="gray" size="sm" tt="none">
                    {c.type}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {c.purl || c.cpe ? (
                    <Tooltip label={c.purl ?? c.cpe}>
                      <Code style={{ maxWidth: 280, display: 'inline-block', overflow: 'hidden' }}>
                        {c.purl ?? c.cpe}
                      </Code>
                    </Tooltip>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" truncate maw={160}>
                    {c.supplier ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" truncate maw={160}>
                    {c.licenses ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge
                    color={c.findings > 0 ? 'red' : 'gray'}
                    variant={c.findings > 0 ? 'filled' : 'light'}
                    data-testid={`component-findings-${c.name}`}
                  >
                    {c.findings}
                  </Badge>
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

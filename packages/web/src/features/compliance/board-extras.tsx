import { Anchor, Badge, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { AssessmentItem } from '@medsec/core';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { pick } from '../products/products-api.ts';
import { ObligationTag, refLabel, StatusBadge } from './labels.tsx';

type MissingItem = AssessmentItem & { missing: string[] };

/** What is missing for submission (붙임2): applicable mandatory items not verified or without a method. */
export const MissingView = ({
  releaseId,
  tick,
  onOpen,
}: {
  releaseId: string;
  tick: number;
  onOpen: (item: AssessmentItem) => void;
}) => {
  const { t, i18n } = useTranslation();
  const missing = useLoad(
    () => get<{ items: MissingItem[] }>(`/api/v1/releases/${releaseId}/assessment/missing`),
    [releaseId, tick],
  );
  const items = missing.data?.items ?? [];
  return (
    <Stack data-testid="missing-view">
      <ErrorAlert error={missing.error} />
      <Text size="sm" c={items.length ? undefined : 'teal'} data-testid="missing-count">
        {missing.data
          ? items.length
            ? t('compliance.missingCount', { count: items.length })
            : t('compliance.missingNone')
          : t('common.loading')}
      </Text>
      {items.length > 0 && (
        <Table withTableBorder fz="sm" verticalSpacing={4} data-testid="missing-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('compliance.requirement')}</Table.Th>
              <Table.Th w={140}>{t('common.status')}</Table.Th>
              <Table.Th w={220}>{t('compliance.missingWhat')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.id} data-testid={`missing-row-${i.ref}`}>
                <Table.Td>
                  <Group gap={6}>
                    <Anchor size="sm" fw={600} onClick={() => onOpen(i)}>
                      {refLabel(i.ref, t)}
                    </Anchor>
                    <ObligationTag value={i.obligation} />
                  </Group>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {pick(i18n.language, i.titleKo, i.titleEn) || pick(i18n.language, i.textKo, i.textEn)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={i.status} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {i.missing.map((m) => (
                      <Badge key={m} color="red" variant="light" size="sm">
                        {t(`compliance.missing_${m}`, { defaultValue: m })}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
};

interface ReleaseDiff {
  basedOn: string | null;
  added: string[];
  removed: string[];
  changed: { ref: string; fields: Record<string, { from: unknown; to: unknown }> }[];
}

const show = (field: string, v: unknown, t: (k: string) => string): string =>
  v === null || v === undefined || v === ''
    ? '—'
    : field === 'status'
      ? t(`compliance.status_${String(v)}`)
      : field === 'method'
        ? t(`compliance.method_${String(v)}`)
        : String(v);

/** How this release's assessment differs from the release it was based on. */
export const DiffView = ({ releaseId, base }: { releaseId: string; base: string | null }) => {
  const { t } = useTranslation();
  const diff = useLoad(() => get<ReleaseDiff>(`/api/v1/releases/${releaseId}/assessment/diff`), [releaseId]);
  const d = diff.data;
  if (!d) {
    return <ErrorAlert error={diff.error} />;
  }
  if (!d.basedOn) {
    return (
      <Text size="sm" c="dimmed" data-testid="diff-view">
        {t('compliance.noBase')}
      </Text>
    );
  }
  const list = (refs: string[], color: string, testId: string) => (
    <Group gap={4} data-testid={testId}>
      {refs.length === 0 ? (
        <Text size="sm" c="dimmed">
          —
        </Text>
      ) : (
        refs.map((r) => (
          <Badge key={r} color={color} variant="light" title={r}>
            {refLabel(r, t)}
          </Badge>
        ))
      )}
    </Group>
  );
  return (
    <Stack data-testid="diff-view">
      <Text size="sm">{t('compliance.diffHelp', { version: base ?? '' })}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={6}>{t('compliance.diffAdded', { count: d.added.length })}</Title>
          {list(d.added, 'teal', 'diff-added')}
        </Card>
        <Card withBorder>
          <Title order={6}>{t('compliance.diffRemoved', { count: d.removed.length })}</Title>
          {list(d.removed, 'orange', 'diff-removed')}
        </Card>
      </SimpleGrid>
      <Title order={6}>{t('compliance.diffChanged', { count: d.changed.length })}</Title>
      <Table withTableBorder fz="sm" data-testid="diff-changed">
        <Table.Tbody>
          {d.changed.map((c) => (
            <Table.Tr key={c.ref}>
              <Table.Td w={200}>
                <Code>{refLabel(c.ref, t)}</Code>
              </Table.Td>
              <Table.Td>
                {Object.entries(c.fields).map(([f, v]) => (
                  <Text size="xs" key={f}>
                    {t(`compliance.field_${f}`, { defaultValue: f })}: {show(f, v.from, t)} →{' '}
                    {show(f, v.to, t)}
                  </Text>
                ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
};

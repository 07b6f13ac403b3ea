import { Badge, Card, Code, Group, NativeSelect, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { Component } from '@medsec/core';
import { useTranslation } from 'react-i18next';
import { get, query } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { type SbomComparison, splitFindingKey } from './sboms-api.ts';

export interface DiffCandidate {
  id: string;
  label: string;
}

const componentLabel = (c: Component): string =>
  `${c.group ? `${c.group}/` : ''}${c.name}${c.version ? ` ${c.version}` : ''}`;

const Components = ({ items, color, testId }: { items: Component[]; color: string; testId: string }) => (
  <Group gap={4} data-testid={testId} data-count={items.length}>
    {items.length === 0 ? (
      <Text size="sm" c="dimmed">
        —
      </Text>
    ) : (
      items.map((c) => (
        <Badge key={c.key} color={color} variant="light" tt="none" title={c.purl ?? c.key}>
          {componentLabel(c)}
        </Badge>
      ))
    )}
  </Group>
);

const Findings = ({ items, color, testId }: { items: string[]; color: string; testId: string }) => (
  <Stack gap={2} data-testid={testId} data-count={items.length}>
    {items.length === 0 ? (
      <Text size="sm" c="dimmed">
        —
      </Text>
    ) : (
      items.map((key) => {
        const { vulnerability, component } = splitFindingKey(key);
        return (
          <Group key={key} gap={6}>
            <Badge color={color} variant="light" tt="none">
              {vulnerability}
            </Badge>
            <Text size="sm">{component}</Text>
          </Group>
        );
      })
    )}
  </Stack>
);

/**
 * What changed from another SBOM (an earlier version of this release, or another release's current SBOM) to this
 * one: components added, removed and changed (version, hashes, licences), and findings that are new or gone.
 */
export const SbomDiffView = ({
  sbomId,
  candidates,
  from,
  onFrom,
  tick,
}: {
  sbomId: string;
  candidates: DiffCandidate[];
  from: string | null;
  onFrom: (id: string) => void;
  /** Reloads the comparison (the findings change when a matching job ends). */
  tick: number;
}) => {
  const { t } = useTranslation();
  const diff = useLoad(
    () =>
      from ? get<SbomComparison>(`/api/v1/sboms/${sbomId}/diff${query({ from })}`) : Promise.resolve(null),
    [sbomId, from, tick],
  );
  if (candidates.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="sbom-diff-none">
        {t('sboms.diffNone')}
      </Text>
    );
  }
  const d = diff.data;
  return (
    <Stack data-testid="sbom-diff">
      <NativeSelect
        label={t('sboms.diffFrom')}
        value={from ?? ''}
        onChange={(e) => onFrom(e.currentTarget.value)}
        data={candidates.map((c) => ({ value: c.id, label: c.label }))}
        data-testid="sbom-diff-from"
        maw={520}
      />
      <ErrorAlert error={diff.error} />
      {d && (
        <>
          <Group
            gap="xs"
            data-testid="sbom-diff-summary"
            data-added={d.added.length}
            data-removed={d.removed.length}
            data-changed={d.changed.length}
            data-unchanged={d.unchanged}
            data-new-findings={d.newFindings.length}
            data-gone-findings={d.goneFindings.length}
          >
            <Badge color="teal" variant="light">
              {t('sboms.diffAdded', { count: d.added.length })}
            </Badge>
            <Badge color="orange" variant="light">
              {t('sboms.diffRemoved', { count: d.removed.length })}
            </Badge>
            <Badge color="blue" variant="light">
              {t('sboms.diffChanged', { count: d.changed.length })}
            </Badge>
            <Badge color="gray" variant="light">
              {t('sboms.diffUnchanged', { count: d.unchanged })}
            </Badge>
            <Badge color="red" variant="light">
              {t('sboms.diffNewFindings', { count: d.newFindings.length })}
            </Badge>
            <Badge color="teal" variant="light">
              {t('sboms.diffGoneFindings', { count: d.goneFindings.length })}
            </Badge>
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={6} mb={6}>
                {t('sboms.diffAdded', { count: d.added.length })}
              </Title>
              <Components items={d.added} color="teal" testId="sbom-diff-added" />
            </Card>
            <Card withBorder>
              <Title order={6} mb={6}>
                {t('sboms.diffRemoved', { count: d.removed.length })}
              </Title>
              <Components items={d.removed} color="orange" testId="sbom-diff-removed" />
            </Card>
          </SimpleGrid>
          <Card withBorder>
            <Title order={6} mb={6}>
              {t('sboms.diffChanged', { count: d.changed.length })}
            </Title>
            {d.changed.length === 0 ? (
              <Text size="sm" c="dimmed">
                —
              </Text>
            ) : (
              <Table fz="sm" data-testid="sbom-diff-changed">
                <Table.Tbody>
                  {d.changed.map((c) => (
                    <Table.Tr key={`${c.identity}:${c.before.key}`}>
                      <Table.Td w={280}>
                        <Text size="sm" fw={600}>
                          {c.after.name}
                        </Text>
                        <Code fz="xs">{c.identity}</Code>
                      </Table.Td>
                      <Table.Td>
                        {c.changes.map((ch) => (
                          <Text size="xs" key={ch.field}>
                            {t(`sboms.diffField_${ch.field}`)}: {ch.before ?? '—'} → {ch.after ?? '—'}
                          </Text>
                        ))}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={6} mb={6}>
                {t('sboms.diffNewFindings', { count: d.newFindings.length })}
              </Title>
              <Findings items={d.newFindings} color="red" testId="sbom-diff-new-findings" />
            </Card>
            <Card withBorder>
              <Title order={6} mb={6}>
                {t('sboms.diffGoneFindings', { count: d.goneFindings.length })}
              </Title>
              <Findings items={d.goneFindings} color="teal" testId="sbom-diff-gone-findings" />
            </Card>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
};

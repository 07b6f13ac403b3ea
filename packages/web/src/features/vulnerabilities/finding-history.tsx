import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import type { FindingHistory } from '@medsec/core';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useLoad } from '../../ui/use-load.ts';
import { type HistoryLine, historyLines } from './findings-api.ts';
import { StateBadge } from './labels.tsx';

/**
 * The finding's history in the triage drawer (ADR 0016): first seen, each decision with who, when and why, and each
 * retraction or confirmation. Reloaded when the finding's version changes (a save or a decision applied here).
 */
export const FindingHistoryPanel = ({ findingId, version }: { findingId: string; version: number }) => {
  const { t, i18n } = useTranslation();
  const history = useLoad(
    () => get<FindingHistory>(`/api/v1/findings/${findingId}/history`),
    [findingId, version],
  );
  const lines = history.data ? historyLines(history.data) : [];
  return (
    <Stack gap="xs" data-testid="finding-history" data-count={history.data?.items.length ?? ''}>
      <Title order={6}>{t('findings.historyTitle')}</Title>
      <ErrorAlert error={history.error} />
      {history.data && (
        <Table fz="sm" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('findings.historyWhen')}</Table.Th>
              <Table.Th>{t('findings.historyBy')}</Table.Th>
              <Table.Th>{t('findings.historyChange')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((line) => (
              <Table.Tr key={line.key} data-testid="finding-history-row" data-kind={line.kind}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(line.at, i18n.language)}</Table.Td>
                <Table.Td>{'changedBy' in line ? line.changedBy : t('findings.historySystem')}</Table.Td>
                <Table.Td>
                  <HistoryChange line={line} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {history.data && history.data.items.length === 0 && (
        <Text size="xs" c="dimmed">
          {t('findings.historyEmpty')}
        </Text>
      )}
    </Stack>
  );
};

const HistoryChange = ({ line }: { line: HistoryLine }) => {
  const { t } = useTranslation();
  if (line.kind === 'seen' || line.kind === 'matcherRetracted') {
    return <Text size="sm">{t(`findings.historyKind_${line.kind}`)}</Text>;
  }
  const stateChanged = line.fromState !== line.toState;
  const remediationChanged = line.fromRemediation !== line.toRemediation;
  return (
    <Stack gap={2}>
      {line.kind !== 'triage' && (
        <Text size="xs" c="dimmed">
          {t(`findings.historyKind_${line.kind}`)}
        </Text>
      )}
      {(stateChanged || line.kind === 'triage') && (
        <Text size="sm" component="div">
          {line.fromState && stateChanged && (
            <>
              <StateBadge state={line.fromState} /> →{' '}
            </>
          )}
          <StateBadge state={line.toState} />
          {line.justification && line.toState === 'not_affected' && (
            <Badge variant="outline" color="gray" tt="none" ml={4}>
              {t(`findings.justification_${line.justification}`)}
            </Badge>
          )}
        </Text>
      )}
      {remediationChanged && (
        <Text size="xs">
          {t('findings.historyRemediation', {
            from: line.fromRemediation ? t(`findings.remediation_${line.fromRemediation}`) : '—',
            to: t(`findings.remediation_${line.toRemediation}`),
          })}
        </Text>
      )}
      {line.note && (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }} data-testid="finding-history-note">
          {line.note}
        </Text>
      )}
    </Stack>
  );
};

import { Button, Modal, NumberInput, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, put } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { SEVERITIES, type Severity } from './findings-api.ts';

type Policy = Record<Severity, { communicateDays: number; fixDays: number }>;

/**
 * The organization's deadlines per severity: days to communicate and to fix (defaults 30 / 60 from the reference the
 * MFDS 2025 guideline cites). New findings get their due date from it.
 */
export const DeadlinePolicyModal = ({ opened, onClose }: { opened: boolean; onClose: () => void }) => {
  const { t } = useTranslation();
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!opened) {
      return;
    }
    setError(null);
    get<Policy>('/api/v1/deadline-policy').then(setPolicy, setError);
  }, [opened]);
  const change = (s: Severity, field: 'communicateDays' | 'fixDays', value: number | string) => {
    if (!policy) {
      return;
    }
    const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
    setPolicy({ ...policy, [s]: { ...policy[s], [field]: Number.isFinite(n) ? n : 0 } });
  };
  const save = async () => {
    if (!policy) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setPolicy(await put<Policy>('/api/v1/deadline-policy', policy));
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('findings.deadlinePolicy')}>
      <Stack data-testid="deadline-policy">
        <Text size="sm" c="dimmed">
          {t('findings.deadlineHelp')}
        </Text>
        {policy && (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('findings.severity')}</Table.Th>
                <Table.Th>{t('findings.communicateDays')}</Table.Th>
                <Table.Th>{t('findings.fixDays')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {SEVERITIES.map((s) => (
                <Table.Tr key={s}>
                  <Table.Td>{t(`findings.severity_${s}`)}</Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      min={0}
                      max={3650}
                      value={policy[s].communicateDays}
                      onChange={(v) => change(s, 'communicateDays', v)}
                      aria-label={`${t(`findings.severity_${s}`)} ${t('findings.communicateDays')}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      min={0}
                      max={3650}
                      value={policy[s].fixDays}
                      onChange={(v) => change(s, 'fixDays', v)}
                      aria-label={`${t(`findings.severity_${s}`)} ${t('findings.fixDays')}`}
                      data-testid={`deadline-fix-${s}`}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <ErrorAlert error={error} />
        <Button onClick={() => void save()} loading={busy} disabled={!policy} data-testid="deadline-save">
          {t('common.save')}
        </Button>
      </Stack>
    </Modal>
  );
};

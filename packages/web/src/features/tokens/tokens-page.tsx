import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  TextInput,
} from '@mantine/core';
import type { ApiToken, Role } from '@medsec/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, post } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';

const ROLES: Role[] = ['admin', 'security_officer', 'developer', 'qa', 'approver', 'auditor'];

export const TokensPage = () => {
  const { t, i18n } = useTranslation();
  const { session, can } = useSession();
  const tokens = useLoad(() => get<{ items: ApiToken[] }>('/api/v1/tokens'), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>(session?.role ?? 'developer');
  const [days, setDays] = useState<number>(90);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const roles = can('tokens:manage') ? ROLES : ROLES.filter((r) => r === session?.role);
  const create = async () => {
    setError(null);
    try {
      const res = await post<{ token: string }>('/api/v1/tokens', { name, role, expiresInDays: days });
      setSecret(res.token);
      setName('');
      tokens.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('tokens.title')} help={t('tokens.help')}>
      <Group align="flex-end">
        <TextInput label={t('common.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Select
          label={t('common.role')}
          data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          value={role}
          onChange={(v) => setRole(v ?? role)}
          allowDeselect={false}
        />
        <NumberInput
          label={t('tokens.days')}
          min={1}
          max={365}
          value={days}
          onChange={(v) => setDays(Number(v) || 1)}
          w={140}
        />
        <Button disabled={!name.trim()} onClick={() => void create()}>
          {t('tokens.newToken')}
        </Button>
      </Group>
      {secret && (
        <Alert color="yellow" title={t('common.showOnce')}>
          <Stack gap="xs">
            <Code block>{secret}</Code>
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button size="xs" onClick={copy} w="fit-content">
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              )}
            </CopyButton>
          </Stack>
        </Alert>
      )}
      <ErrorAlert error={error ?? tokens.error} />
      <Table withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.name')}</Table.Th>
            <Table.Th>{t('common.role')}</Table.Th>
            <Table.Th>{t('tokens.prefix')}</Table.Th>
            <Table.Th>{t('common.expires')}</Table.Th>
            <Table.Th>{t('tokens.lastUsed')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.data?.items.map((tok) => (
            <Table.Tr key={tok.id}>
              <Table.Td>{tok.name}</Table.Td>
              <Table.Td>{t(`roles.${tok.role}`)}</Table.Td>
              <Table.Td>
                <Code>{tok.prefix}…</Code>
              </Table.Td>
              <Table.Td>{formatDateTime(tok.expiresAt, i18n.language)}</Table.Td>
              <Table.Td>{formatDateTime(tok.lastUsedAt, i18n.language)}</Table.Td>
              <Table.Td>
                {tok.revokedAt ? (
                  <Badge color="gray">{t('tokens.revoked')}</Badge>
                ) : (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => void del(`/api/v1/tokens/${tok.id}`).then(tokens.reload, setError)}
                  >
                    {t('common.revoke')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Page>
  );
};

import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Menu,
  Modal,
  Pagination,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { Member, Role } from '@medsec/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, patch, post, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDate, formatDateTime } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';

const ROLES: Role[] = ['admin', 'security_officer', 'developer', 'qa', 'approver', 'auditor'];

interface Invitation {
  id: string;
  email: string;
  role: Role;
  validUntil: string | null;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export const UsersPage = () => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const manage = can('users:manage');
  const [filters, setFilters] = useState({ q: '', role: '', status: '', page: 1 });
  const [error, setError] = useState<unknown>(null);
  const [inviteOpen, setInviteOpen] = useState(false);
  const [validityFor, setValidityFor] = useState<Member | null>(null);
  const members = useLoad(
    () =>
      get<{ items: Member[]; total: number; pageSize: number }>(
        `/api/v1/users${query({ q: filters.q, role: filters.role, status: filters.status, page: filters.page, pageSize: 25 })}`,
      ),
    [filters],
  );
  const invitations = useLoad(
    () => (manage ? get<{ items: Invitation[] }>('/api/v1/invitations') : Promise.resolve({ items: [] })),
    [manage],
  );
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      members.reload();
      invitations.reload();
    } catch (err) {
      setError(err);
    }
  };

  const statusBadge = (m: Member) => {
    if (m.status === 'disabled') {
      return <Badge color="gray">{t('users.disabledStatus')}</Badge>;
    }
    if (m.expired) {
      return <Badge color="orange">{t('users.expired')}</Badge>;
    }
    if (m.locked) {
      return <Badge color="red">{t('users.locked')}</Badge>;
    }
    return <Badge color="teal">{t('users.active')}</Badge>;
  };

  return (
    <Page
      title={t('users.title')}
      actions={
        manage && (
          <Button onClick={() => setInviteOpen(true)} data-testid="invite-open">
            {t('users.invite')}
          </Button>
        )
      }
    >
      <Group>
        <TextInput
          placeholder={t('users.searchPlaceholder')}
          value={filters.q}
          onChange={(e) => setFilters({ ...filters, q: e.currentTarget.value, page: 1 })}
        />
        <Select
          placeholder={t('common.role')}
          clearable
          data={roleOptions}
          value={filters.role || null}
          onChange={(v) => setFilters({ ...filters, role: v ?? '', page: 1 })}
        />
        <Select
          placeholder={t('common.status')}
          clearable
          data={[
            { value: 'active', label: t('users.active') },
            { value: 'disabled', label: t('users.disabledStatus') },
          ]}
          value={filters.status || null}
          onChange={(v) => setFilters({ ...filters, status: v ?? '', page: 1 })}
        />
      </Group>
      <ErrorAlert error={error ?? members.error} />
      <Table striped highlightOnHover withTableBorder data-testid="users-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.name')}</Table.Th>
            <Table.Th>{t('common.email')}</Table.Th>
            <Table.Th>{t('common.role')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th>{t('users.mfa')}</Table.Th>
            <Table.Th>{t('users.validUntil')}</Table.Th>
            <Table.Th>{t('users.lastLogin')}</Table.Th>
            {manage && <Table.Th>{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.data?.items.map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td>{m.displayName}</Table.Td>
              <Table.Td>{m.email}</Table.Td>
              <Table.Td>
                {manage ? (
                  <Select
                    size="xs"
                    data={roleOptions}
                    value={m.role}
                    allowDeselect={false}
                    aria-label={t('users.changeRole')}
                    onChange={(v) =>
                      v && v !== m.role && void act(() => patch(`/api/v1/users/${m.id}`, { role: v }))
                    }
                  />
                ) : (
                  t(`roles.${m.role}`)
                )}
              </Table.Td>
              <Table.Td>{statusBadge(m)}</Table.Td>
              <Table.Td>{m.mfaEnabled ? '✓' : '—'}</Table.Td>
              <Table.Td>
                {m.validUntil ? formatDate(m.validUntil, i18n.language) : t('users.noLimit')}
              </Table.Td>
              <Table.Td>{formatDateTime(m.lastLoginAt, i18n.language)}</Table.Td>
              {manage && (
                <Table.Td>
                  <Menu withinPortal>
                    <Menu.Target>
                      <Button size="xs" variant="subtle">
                        {t('common.actions')}
                      </Button>
                    </Menu.Target>
                    <Menu.Dropdown>
                      {m.status === 'active' ? (
                        <Menu.Item
                          color="red"
                          onClick={() => void act(() => post(`/api/v1/users/${m.id}/disable`))}
                        >
                          {t('users.disable')}
                        </Menu.Item>
                      ) : (
                        <Menu.Item onClick={() => void act(() => post(`/api/v1/users/${m.id}/enable`))}>
                          {t('users.enable')}
                        </Menu.Item>
                      )}
                      {m.locked && (
                        <Menu.Item onClick={() => void act(() => post(`/api/v1/users/${m.id}/unlock`))}>
                          {t('users.unlock')}
                        </Menu.Item>
                      )}
                      <Menu.Item onClick={() => setValidityFor(m)}>{t('users.setValidity')}</Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {members.data && members.data.total > members.data.pageSize && (
        <Pagination
          total={Math.ceil(members.data.total / members.data.pageSize)}
          value={filters.page}
          onChange={(page) => setFilters({ ...filters, page })}
        />
      )}
      {manage && invitations.data && invitations.data.items.length > 0 && (
        <Stack gap="xs">
          <Title order={4}>{t('users.pending')}</Title>
          <Table withTableBorder>
            <Table.Tbody>
              {invitations.data.items
                .filter((i) => !i.acceptedAt && !i.revokedAt)
                .map((i) => (
                  <Table.Tr key={i.id}>
                    <Table.Td>{i.email}</Table.Td>
                    <Table.Td>{t(`roles.${i.role}`)}</Table.Td>
                    <Table.Td>
                      {t('common.expires')}: {formatDateTime(i.expiresAt, i18n.language)}
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => void act(() => del(`/api/v1/invitations/${i.id}`))}
                      >
                        {t('common.revoke')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      <InviteModal
        opened={inviteOpen}
        onClose={() => {
          setInviteOpen(false);
          invitations.reload();
        }}
        roleOptions={roleOptions}
      />
      <ValidityModal
        member={validityFor}
        onClose={() => setValidityFor(null)}
        onSave={(m, value) =>
          void act(() => patch(`/api/v1/users/${m.id}`, { validUntil: value })).then(() =>
            setValidityFor(null),
          )
        }
      />
    </Page>
  );
};

const InviteModal = ({
  opened,
  onClose,
  roleOptions,
}: {
  opened: boolean;
  onClose: () => void;
  roleOptions: { value: string; label: string }[];
}) => {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string>('developer');
  const [validUntil, setValidUntil] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    setEmail('');
    setLink(null);
    setError(null);
    onClose();
  };
  const submit = async () => {
    setError(null);
    try {
      const res = await post<{ acceptPath: string }>('/api/v1/invitations', {
        email,
        role,
        ...(validUntil ? { validUntil: new Date(`${validUntil}T23:59:59`).toISOString() } : {}),
      });
      setLink(`${window.location.origin}${res.acceptPath}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={t('users.inviteTitle')} centered>
      {link ? (
        <Stack>
          <Alert color="yellow">{t('common.showOnce')}</Alert>
          <Text size="sm">{t('users.inviteLink')}</Text>
          <Code block data-testid="invite-link">
            {link}
          </Code>
          <CopyButton value={link}>
            {({ copied, copy }) => (
              <Button onClick={copy}>{copied ? t('common.copied') : t('common.copy')}</Button>
            )}
          </CopyButton>
        </Stack>
      ) : (
        <Stack>
          <TextInput
            required
            type="email"
            label={t('common.email')}
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <Select
            label={t('common.role')}
            data={roleOptions}
            value={role}
            onChange={(v) => setRole(v ?? 'developer')}
            allowDeselect={false}
          />
          <TextInput
            type="date"
            label={t('users.validUntil')}
            value={validUntil}
            onChange={(e) => setValidUntil(e.currentTarget.value)}
          />
          <ErrorAlert error={error} />
          <Button onClick={() => void submit()}>{t('users.invite')}</Button>
        </Stack>
      )}
    </Modal>
  );
};

const ValidityModal = ({
  member,
  onClose,
  onSave,
}: {
  member: Member | null;
  onClose: () => void;
  onSave: (m: Member, value: string | null) => void;
}) => {
  const { t } = useTranslation();
  const [date, setDate] = useState('');
  return (
    <Modal
      opened={member !== null}
      onClose={onClose}
      title={`${t('users.setValidity')}: ${member?.email ?? ''}`}
      centered
    >
      <Stack>
        <TextInput
          type="date"
          label={t('users.validUntil')}
          value={date}
          onChange={(e) => setDate(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => member && onSave(member, null)}>
            {t('users.noLimit')}
          </Button>
          <Button
            disabled={!date}
            onClick={() => member && onSave(member, new Date(`${date}T23:59:59`).toISOString())}
          >
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
};

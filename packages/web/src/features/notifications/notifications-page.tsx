import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  PasswordInput,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import type {
  NotificationDelivery,
  NotificationSettings,
  NotificationSettingsInput,
  Page as PageOf,
  TestNotificationResult,
} from '@medsec/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, put } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';

const STATUS_COLOR: Record<NotificationDelivery['status'], string> = {
  pending: 'gray',
  retrying: 'orange',
  sent: 'teal',
  failed: 'red',
};

interface Form {
  enabled: boolean;
  emailEnabled: boolean;
  recipients: string;
  webhookEnabled: boolean;
  webhookUrl: string;
  webhookSecret: string;
  dueSoon: boolean;
  dueSoonDays: number;
  overdue: boolean;
  newCritical: boolean;
}

const formOf = (s: NotificationSettings): Form => ({
  enabled: s.enabled,
  emailEnabled: s.emailEnabled,
  recipients: s.emailRecipients.join('\n'),
  webhookEnabled: s.webhookEnabled,
  webhookUrl: s.webhookUrl ?? '',
  webhookSecret: '',
  dueSoon: s.events.dueSoon,
  dueSoonDays: s.events.dueSoonDays,
  overdue: s.events.overdue,
  newCritical: s.events.newCritical,
});

/**
 * Notifications / 알림: the organization's channels (e-mail recipients; a webhook signed with HMAC-SHA256 under a
 * secret that is write-only here), which events are sent (due soon, overdue, new critical/high/KEV), a test message,
 * and the delivery log with attempts and errors. Changing them needs `notifications:manage`.
 */
export const NotificationsPage = () => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const canManage = can('notifications:manage');
  const settings = useLoad(() => get<NotificationSettings>('/api/v1/notifications/settings'), []);
  const deliveries = useLoad(
    () => get<PageOf<NotificationDelivery>>('/api/v1/notifications/deliveries?pageSize=50'),
    [],
  );
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [tested, setTested] = useState<TestNotificationResult | null>(null);
  useEffect(() => {
    if (settings.data) {
      setForm(formOf(settings.data));
    }
  }, [settings.data]);
  const pending =
    deliveries.data?.items.some((d) => d.status === 'pending' || d.status === 'retrying') ?? false;
  useEffect(() => {
    if (!pending) {
      return;
    }
    const timer = setInterval(deliveries.reload, 3000);
    return () => clearInterval(timer);
  }, [pending, deliveries.reload]);

  const change = (patch: Partial<Form>) => {
    setSaved(false);
    setForm((f) => (f ? { ...f, ...patch } : f));
  };
  const save = async (removeSecret = false) => {
    if (!form || !settings.data) {
      return;
    }
    setBusy(true);
    setError(null);
    const body: NotificationSettingsInput = {
      enabled: form.enabled,
      emailEnabled: form.emailEnabled,
      emailRecipients: form.recipients
        .split(/[\s,;]+/)
        .map((r) => r.trim())
        .filter(Boolean),
      webhookEnabled: form.webhookEnabled,
      webhookUrl: form.webhookUrl.trim() || null,
      ...(removeSecret
        ? { webhookSecret: null }
        : form.webhookSecret
          ? { webhookSecret: form.webhookSecret }
          : {}),
      events: {
        dueSoon: form.dueSoon,
        dueSoonDays: form.dueSoonDays,
        overdue: form.overdue,
        newCritical: form.newCritical,
      },
      version: settings.data.version,
    };
    try {
      await put<NotificationSettings>('/api/v1/notifications/settings', body);
      setSaved(true);
      settings.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const sendTest = async () => {
    setBusy(true);
    setError(null);
    setTested(null);
    try {
      setTested(await post<TestNotificationResult>('/api/v1/notifications/test'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      deliveries.reload();
    }
  };
  const s = settings.data;
  return (
    <Page title={t('notifications.title')} help={t('notifications.help')}>
      <ErrorAlert error={settings.error ?? deliveries.error} />
      {s && !s.emailAvailable && (
        <Alert color="yellow" variant="light" data-testid="email-off">
          {t('notifications.emailOff')}
        </Alert>
      )}
      {form && s && (
        <Card withBorder data-testid="notification-settings">
          <Stack>
            <Switch
              label={t('notifications.enabled')}
              checked={form.enabled}
              disabled={!canManage}
              onChange={(e) => change({ enabled: e.currentTarget.checked })}
              data-testid="notify-enabled"
            />
            <Title order={4}>{t('notifications.email')}</Title>
            <Switch
              label={t('notifications.emailEnabled')}
              checked={form.emailEnabled}
              disabled={!canManage}
              onChange={(e) => change({ emailEnabled: e.currentTarget.checked })}
            />
            <Textarea
              label={t('notifications.recipients')}
              description={t('notifications.recipientsHelp')}
              value={form.recipients}
              disabled={!canManage}
              autosize
              minRows={2}
              onChange={(e) => change({ recipients: e.currentTarget.value })}
              data-testid="notify-recipients"
            />
            <Title order={4}>{t('notifications.webhook')}</Title>
            <Switch
              label={t('notifications.webhookEnabled')}
              checked={form.webhookEnabled}
              disabled={!canManage}
              onChange={(e) => change({ webhookEnabled: e.currentTarget.checked })}
            />
            <TextInput
              label={t('notifications.webhookUrl')}
              placeholder="https://"
              value={form.webhookUrl}
              disabled={!canManage}
              onChange={(e) => change({ webhookUrl: e.currentTarget.value })}
              data-testid="notify-webhook-url"
            />
            <Group align="flex-end">
              <PasswordInput
                label={t('notifications.webhookSecret')}
                description={
                  s.webhookSecretSet ? t('notifications.secretSet') : t('notifications.secretHelp')
                }
                value={form.webhookSecret}
                disabled={!canManage}
                autoComplete="new-password"
                onChange={(e) => change({ webhookSecret: e.currentTarget.value })}
                style={{ flex: 1 }}
                data-testid="notify-webhook-secret"
              />
              {s.webhookSecretSet && canManage && (
                <Button variant="subtle" color="red" onClick={() => void save(true)} disabled={busy}>
                  {t('notifications.removeSecret')}
                </Button>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {t('notifications.signatureHelp')}
            </Text>
            <Title order={4}>{t('notifications.events')}</Title>
            <Group align="flex-end">
              <Checkbox
                label={t('notifications.eventDueSoon')}
                checked={form.dueSoon}
                disabled={!canManage}
                onChange={(e) => change({ dueSoon: e.currentTarget.checked })}
              />
              <NumberInput
                label={t('notifications.dueSoonDays')}
                min={1}
                max={90}
                w={140}
                value={form.dueSoonDays}
                disabled={!canManage || !form.dueSoon}
                onChange={(v) =>
                  change({ dueSoonDays: typeof v === 'number' ? v : Number.parseInt(v, 10) || 1 })
                }
              />
            </Group>
            <Checkbox
              label={t('notifications.eventOverdue')}
              checked={form.overdue}
              disabled={!canManage}
              onChange={(e) => change({ overdue: e.currentTarget.checked })}
            />
            <Checkbox
              label={t('notifications.eventNewCritical')}
              checked={form.newCritical}
              disabled={!canManage}
              onChange={(e) => change({ newCritical: e.currentTarget.checked })}
            />
            <ErrorAlert error={error} />
            {saved && (
              <Text size="sm" c="teal" data-testid="notify-saved">
                {t('notifications.saved')}
              </Text>
            )}
            {tested && (
              <Text size="sm" data-testid="notify-tested">
                {tested.deliveries
                  .map(
                    (d) =>
                      `${t(`notifications.channel_${d.channel}`)}: ${t(`notifications.status_${d.status}`)}`,
                  )
                  .join(' · ')}
              </Text>
            )}
            {canManage && (
              <Group>
                <Button onClick={() => void save()} loading={busy} data-testid="notify-save">
                  {t('common.save')}
                </Button>
                <Button
                  variant="default"
                  onClick={() => void sendTest()}
                  disabled={busy}
                  data-testid="notify-test"
                >
                  {t('notifications.sendTest')}
                </Button>
              </Group>
            )}
          </Stack>
        </Card>
      )}
      <Group justify="space-between">
        <Title order={4}>{t('notifications.deliveries')}</Title>
        <Button variant="subtle" size="xs" onClick={deliveries.reload}>
          {t('common.refresh')}
        </Button>
      </Group>
      <Table withTableBorder data-testid="deliveries-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('common.created')}</Table.Th>
            <Table.Th>{t('notifications.channel')}</Table.Th>
            <Table.Th>{t('notifications.kind')}</Table.Th>
            <Table.Th>{t('notifications.target')}</Table.Th>
            <Table.Th>{t('notifications.items')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th>{t('notifications.attempts')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deliveries.data?.items.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{formatDateTime(d.createdAt, i18n.language)}</Table.Td>
              <Table.Td>{t(`notifications.channel_${d.channel}`)}</Table.Td>
              <Table.Td>{t(`notifications.kind_${d.kind}`)}</Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={1} maw={260}>
                  {d.target}
                </Text>
              </Table.Td>
              <Table.Td>{d.itemCount}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[d.status]} data-testid={`delivery-${d.status}`}>
                  {t(`notifications.status_${d.status}`)}
                </Badge>
                {d.lastError && (
                  <Text size="xs" c="red">
                    {d.lastError}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{d.attempts}</Table.Td>
            </Table.Tr>
          ))}
          {deliveries.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text size="sm" c="dimmed" ta="center">
                  {t('notifications.noDeliveries')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Page>
  );
};

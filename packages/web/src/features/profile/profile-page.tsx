import { Alert, Badge, Button, Card, Group, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { Page } from '../../ui/page.tsx';
import { ChangePasswordForm } from '../auth/change-password.tsx';
import { MfaEnrolment } from '../auth/mfa-enrolment.tsx';
import { RecoveryCodes } from '../auth/recovery-codes.tsx';

export const ProfilePage = () => {
  const { t } = useTranslation();
  const { session, reload } = useSession();
  const [enrolling, setEnrolling] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  if (!session) {
    return null;
  }
  const act = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('profile.title')} help={`${session.user.email} · ${t(`roles.${session.role}`)}`}>
      <Card withBorder>
        <Stack>
          <Group justify="space-between">
            <Title order={4}>{t('profile.mfaSection')}</Title>
            <Badge color={session.user.mfaEnabled ? 'teal' : 'gray'}>
              {session.user.mfaEnabled ? t('mfa.enabled') : t('mfa.disabled')}
            </Badge>
          </Group>
          {codes ? (
            <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />
          ) : enrolling ? (
            <MfaEnrolment
              onDone={() => {
                setEnrolling(false);
                void reload();
              }}
            />
          ) : session.user.mfaEnabled ? (
            <Group>
              <Button
                variant="light"
                onClick={() =>
                  void act(async () =>
                    setCodes(
                      (await post<{ recoveryCodes: string[] }>('/api/v1/auth/mfa/recovery-codes'))
                        .recoveryCodes,
                    ),
                  )
                }
              >
                {t('mfa.regenerate')}
              </Button>
              <Button
                variant="light"
                color="red"
                onClick={() =>
                  void act(async () => {
                    await post('/api/v1/auth/mfa/disable');
                    await reload();
                  })
                }
              >
                {t('mfa.disable')}
              </Button>
            </Group>
          ) : (
            <Group>
              <Button onClick={() => setEnrolling(true)}>{t('mfa.start')}</Button>
            </Group>
          )}
          <ErrorAlert error={error} />
        </Stack>
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={4}>{t('profile.passwordSection')}</Title>
          {saved && <Alert color="teal">{t('password.changed')}</Alert>}
          <ChangePasswordForm onDone={() => setSaved(true)} />
        </Stack>
      </Card>
    </Page>
  );
};

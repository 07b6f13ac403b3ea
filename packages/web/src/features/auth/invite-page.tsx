import { Alert, Button, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { get, post } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { AuthLayout } from './auth-layout.tsx';

export const InvitePage = () => {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const preview = useLoad(
    () =>
      get<{ email: string; organizationName: string; role: string; existingAccount: boolean }>(
        `/api/v1/invitations/by-token/${encodeURIComponent(token)}`,
      ),
    [token],
  );
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post('/api/v1/invitations/accept', {
        token,
        displayName: name || (preview.data?.email.split('@')[0] ?? 'user'),
        password,
      });
      void navigate('/login?joined=1');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <AuthLayout title={t('invite.title')}>
      {preview.loading && <Loader />}
      {preview.error !== null && <Alert color="red">{t('invite.invalid')}</Alert>}
      {preview.data && (
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <Text>
              {t('invite.intro', {
                org: preview.data.organizationName,
                role: t(`roles.${preview.data.role}`),
              })}
            </Text>
            <TextInput label={t('common.email')} value={preview.data.email} disabled />
            {preview.data.existingAccount ? (
              <Text size="sm">{t('invite.existing')}</Text>
            ) : (
              <TextInput
                required
                label={t('setup.displayName')}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
              />
            )}
            <PasswordInput
              required
              label={t('common.password')}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
            />
            {!preview.data.existingAccount && (
              <Text size="xs" c="dimmed">
                {t('setup.policy')}
              </Text>
            )}
            <ErrorAlert error={error} />
            <Button type="submit">{t('invite.accept')}</Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
};

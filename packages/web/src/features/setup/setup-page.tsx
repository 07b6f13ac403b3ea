import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { post } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { AuthLayout } from '../auth/auth-layout.tsx';

/** First-run setup: only while no user exists (the server refuses it afterwards). */
export const SetupPage = () => {
  const { t } = useTranslation();
  const { needsSetup, reload } = useSession();
  const navigate = useNavigate();
  const [form, setForm] = useState({
    organizationName: '',
    displayName: '',
    email: '',
    password: '',
    confirm: '',
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!needsSetup) {
    return <Navigate to="/login" replace />;
  }
  const mismatch = form.confirm.length > 0 && form.confirm !== form.password;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/setup', {
        organizationName: form.organizationName,
        displayName: form.displayName,
        email: form.email,
        password: form.password,
      });
      await reload();
      void navigate('/login?setup=done');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  return (
    <AuthLayout title={t('setup.title')}>
      <Alert color="teal" variant="light">
        {t('setup.intro')}
      </Alert>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <TextInput
            required
            label={t('setup.organizationName')}
            data-testid="setup-org"
            {...field('organizationName')}
          />
          <TextInput
            required
            label={t('setup.displayName')}
            data-testid="setup-name"
            {...field('displayName')}
          />
          <TextInput
            required
            type="email"
            label={t('common.email')}
            data-testid="setup-email"
            autoComplete="username"
            {...field('email')}
          />
          <PasswordInput
            required
            label={t('common.password')}
            data-testid="setup-password"
            autoComplete="new-password"
            {...field('password')}
          />
          <Text size="xs" c="dimmed">
            {t('setup.policy')}
          </Text>
          <PasswordInput
            required
            label={t('setup.confirmPassword')}
            data-testid="setup-confirm"
            autoComplete="new-password"
            error={mismatch ? t('setup.mismatch') : undefined}
            {...field('confirm')}
          />
          <ErrorAlert error={error} />
          <Button type="submit" loading={busy} data-testid="setup-submit">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
};

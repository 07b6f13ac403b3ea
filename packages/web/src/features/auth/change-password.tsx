import { Button, PasswordInput, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';

export const ChangePasswordForm = ({ onDone }: { onDone: () => void }) => {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm.length > 0 && confirm !== next;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/auth/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setConfirm('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack>
        <PasswordInput
          required
          label={t('password.current')}
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          autoComplete="current-password"
        />
        <PasswordInput
          required
          label={t('password.new')}
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          autoComplete="new-password"
        />
        <Text size="xs" c="dimmed">
          {t('setup.policy')}
        </Text>
        <PasswordInput
          required
          label={t('setup.confirmPassword')}
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={mismatch ? t('setup.mismatch') : undefined}
          autoComplete="new-password"
        />
        <ErrorAlert error={error} />
        <Button type="submit" loading={busy}>
          {t('common.save')}
        </Button>
      </Stack>
    </form>
  );
};

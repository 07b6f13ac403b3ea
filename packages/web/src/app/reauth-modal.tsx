import { Button, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client.ts';
import { ErrorAlert } from '../ui/errors.tsx';
import { useSession } from './session.tsx';

/**
 * Answers 403 REAUTH_REQUIRED from any request: asks for the password (and code), re-authenticates, and lets
 * the API client retry the original request once.
 */
export const ReauthModal = () => {
  const { t } = useTranslation();
  const { session, setReauthHandler } = useSession();
  const [opened, setOpened] = useState(false);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const resolver = useRef<((ok: boolean) => void) | null>(null);

  useEffect(() => {
    setReauthHandler(
      () =>
        new Promise<boolean>((resolve) => {
          resolver.current = resolve;
          setPassword('');
          setCode('');
          setError(null);
          setOpened(true);
        }),
    );
  }, [setReauthHandler]);

  const finish = (ok: boolean) => {
    setOpened(false);
    resolver.current?.(ok);
    resolver.current = null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post(
        '/api/v1/auth/reauth',
        session?.user.mfaEnabled ? { password, code: code.trim() } : { password },
      );
      finish(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={() => finish(false)} title={t('reauth.title')} centered>
      <form onSubmit={(e) => void submit(e)}>
        <Stack>
          <Text size="sm">{t('reauth.help')}</Text>
          <PasswordInput
            required
            autoFocus
            label={t('common.password')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="reauth-password"
          />
          {session?.user.mfaEnabled && (
            <TextInput
              required
              label={t('login.code')}
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              data-testid="reauth-code"
            />
          )}
          <ErrorAlert error={error} />
          <Button type="submit" loading={busy} data-testid="reauth-submit">
            {t('common.confirm')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
};

import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client.ts';
import { useSession } from './session.tsx';

const WARN_MS = 60_000;

/**
 * Warns a minute before the idle timeout (MFDS art. 7: session lock after 10 minutes of inactivity), offers to stay
 * signed in, and drops the session locally when the deadline passes (the server has ended it too).
 */
export const IdleWarning = () => {
  const { t } = useTranslation();
  const { session, idleDeadline, signOut, setSession } = useSession();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const remaining = idleDeadline === null ? null : idleDeadline - now;
  useEffect(() => {
    if (session && remaining !== null && remaining <= 0) {
      // Ask the server: a 401 marks the session ended and shows the notice on the sign-in page.
      void post('/api/v1/auth/session/refresh').catch(() => setSession(null));
    }
  }, [session, remaining, setSession]);
  if (!session || remaining === null || remaining > WARN_MS || remaining <= 0) {
    return null;
  }
  return (
    <Modal
      opened
      onClose={() => undefined}
      withCloseButton={false}
      title={t('session.expiring')}
      centered
      data-testid="idle-warning"
    >
      <Stack>
        <Text>{t('session.expiresIn', { seconds: Math.ceil(remaining / 1000) })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </Button>
          <Button onClick={() => void post('/api/v1/auth/session/refresh').catch(() => undefined)}>
            {t('session.stay')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
};

import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { SessionInfo } from '@medsec/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, serverNow } from '../api/client.ts';
import { useSession } from './session.tsx';

const WARN_MS = 60_000;

/**
 * Warns a minute before the idle timeout (MFDS art. 7: session lock after 10 minutes of inactivity), offers to stay
 * signed in, and drops the session locally when the deadline passes (the server has ended it too).
 *
 * Before warning, and again at the deadline, it asks the server (a passive read that does not extend the session):
 * another tab may have kept the session alive.
 */
export const IdleWarning = () => {
  const { t } = useTranslation();
  const { session, idleDeadline, signOut, expire } = useSession();
  const [now, setNow] = useState(Date.now());
  const checkedFor = useRef<string | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const remaining = idleDeadline === null ? null : idleDeadline - now;
  const phase = remaining === null ? null : remaining <= 0 ? 'ended' : remaining <= WARN_MS ? 'warn' : null;
  useEffect(() => {
    if (!session || phase === null || idleDeadline === null) {
      return;
    }
    const key = `${phase}:${idleDeadline}`;
    if (checkedFor.current === key) {
      return;
    }
    checkedFor.current = key;
    get<{ session: SessionInfo }>('/api/v1/auth/session').then(
      ({ session: s }) => {
        // still the same deadline after the deadline: the server ends it now anyway
        if (phase === 'ended' && new Date(s.idleExpiresAt).getTime() <= serverNow()) {
          expire();
        }
      },
      () => expire(),
    );
  }, [session, phase, idleDeadline, expire]);
  if (!session || phase !== 'warn' || remaining === null) {
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
          <Button variant="default" onClick={() => void signOut()} data-testid="idle-sign-out">
            {t('nav.signOut')}
          </Button>
          <Button
            onClick={() => void post('/api/v1/auth/session/refresh').catch(() => undefined)}
            data-testid="idle-stay"
          >
            {t('session.stay')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
};

import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import type { SessionInfo } from '@medsec/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { post, put } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { setLocale, takeChosenBeforeSignIn } from '../../i18n/index.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { ChangePasswordForm } from './change-password.tsx';
import { MfaEnrolment } from './mfa-enrolment.tsx';

/**
 * Sign-in and the steps a session may need before work: the second factor, MFA enrolment required by the
 * organization, or a password change after the maximum age.
 */
export const LoginPage = () => {
  const { t } = useTranslation();
  const { session, setSession, needsSetup, notice, reload } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Stays true from the start of a required enrolment until the recovery codes were acknowledged.
  const [enrolling, setEnrolling] = useState(false);
  useEffect(() => {
    if (session?.state === 'mfa_enrollment_required') {
      setEnrolling(true);
    }
  }, [session?.state]);

  if (needsSetup) {
    return <Navigate to="/setup" replace />;
  }
  if (session?.state === 'active' && !enrolling) {
    return <Navigate to={params.get('next') ?? '/'} replace />;
  }

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const signIn = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const { session: s } = await post<{ session: SessionInfo }>('/api/v1/auth/login', { email, password });
      setPassword('');
      setSession(s);
      const chosen = takeChosenBeforeSignIn();
      if (chosen && chosen !== s.user.locale) {
        // the language picked on this page becomes the account's preference
        void put('/api/v1/auth/locale', { locale: chosen }).catch(() => undefined);
      } else {
        setLocale(s.user.locale);
      }
    });
  };

  const verify = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await post<{ session: SessionInfo }>('/api/v1/auth/mfa/verify', { code: code.trim() });
      setCode('');
    });
  };

  const back = () => {
    void post('/api/v1/auth/logout').catch(() => undefined);
    setSession(null);
  };

  if (session?.state === 'mfa_pending') {
    return (
      <AuthLayout title={t('login.mfaTitle')}>
        <form onSubmit={verify}>
          <Stack>
            <Text size="sm">{t('login.mfaHelp')}</Text>
            <TextInput
              required
              autoFocus
              label={t('login.code')}
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              data-testid="mfa-code"
            />
            <ErrorAlert error={error} />
            <Button type="submit" loading={busy} data-testid="mfa-submit">
              {t('login.verify')}
            </Button>
            <Anchor component="button" type="button" size="sm" onClick={back}>
              {t('login.back')}
            </Anchor>
          </Stack>
        </form>
      </AuthLayout>
    );
  }

  if (session && (session.state === 'mfa_enrollment_required' || enrolling)) {
    return (
      <AuthLayout title={t('mfa.enrolTitle')}>
        <Alert color="teal" variant="light">
          {t('mfa.enrolRequired')}
        </Alert>
        <MfaEnrolment
          onDone={() => {
            setEnrolling(false);
            void reload().then(() => navigate('/'));
          }}
        />
      </AuthLayout>
    );
  }

  if (session?.state === 'password_change_required') {
    return (
      <AuthLayout title={t('password.changeTitle')}>
        <Alert color="yellow" variant="light">
          {t('password.expired')}
        </Alert>
        <ChangePasswordForm onDone={() => void reload()} />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('login.title')}>
      {params.get('setup') === 'done' && <Alert color="teal">{t('setup.done')}</Alert>}
      {params.get('joined') === '1' && <Alert color="teal">{t('invite.done')}</Alert>}
      {notice === 'sessionEnded' && (
        <Alert color="yellow" data-testid="session-ended">
          {t('login.sessionEnded')}
        </Alert>
      )}
      {notice === 'signedOut' && <Alert color="gray">{t('login.signedOut')}</Alert>}
      <form onSubmit={signIn}>
        <Stack>
          <TextInput
            required
            type="email"
            label={t('common.email')}
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            data-testid="login-email"
          />
          <PasswordInput
            required
            label={t('common.password')}
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="login-password"
          />
          <ErrorAlert error={error} />
          <Button type="submit" loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
};

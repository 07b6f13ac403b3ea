import { Button, Center, Code, Image, Loader, Stack, Text, TextInput } from '@mantine/core';
import type { SessionInfo } from '@medsec/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { RecoveryCodes } from './recovery-codes.tsx';

/** TOTP enrolment: QR code and key, a first code to confirm, then the recovery codes. */
export const MfaEnrolment = ({ onDone }: { onDone: () => void }) => {
  const { t } = useTranslation();
  const [enrolment, setEnrolment] = useState<{ secret: string; qrSvg: string } | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    post<{ secret: string; qrSvg: string }>('/api/v1/auth/mfa/enroll').then(setEnrolment, setError);
  }, []);

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await post<{ recoveryCodes: string[]; session: SessionInfo }>(
        '/api/v1/auth/mfa/confirm',
        { code: code.trim() },
      );
      setCodes(result.recoveryCodes);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (codes) {
    return <RecoveryCodes codes={codes} onDone={onDone} />;
  }
  if (!enrolment) {
    return error ? <ErrorAlert error={error} /> : <Loader />;
  }
  const qr = `data:image/svg+xml;base64,${btoa(enrolment.qrSvg)}`;
  return (
    <form onSubmit={(e) => void confirm(e)}>
      <Stack>
        <Center>
          <Image src={qr} alt="TOTP QR code" w={200} h={200} data-testid="mfa-qr" />
        </Center>
        <Text size="sm">{t('mfa.manual')}</Text>
        <Code block data-testid="mfa-secret" fz="sm">
          {enrolment.secret}
        </Code>
        <TextInput
          required
          label={t('mfa.confirmCode')}
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-testid="mfa-confirm-code"
        />
        <ErrorAlert error={error} />
        <Button type="submit" loading={busy} data-testid="mfa-confirm-submit">
          {t('mfa.enable')}
        </Button>
      </Stack>
    </form>
  );
};

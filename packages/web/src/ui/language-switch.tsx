import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { put } from '../api/client.ts';
import { useSession } from '../app/session.tsx';
import { chooseBeforeSignIn, type Locale, setLocale } from '../i18n/index.ts';

export const LanguageSwitch = () => {
  const { i18n } = useTranslation();
  const { session } = useSession();
  return (
    <SegmentedControl
      size="xs"
      data-testid="language-switch"
      value={i18n.language}
      onChange={(value) => {
        setLocale(value as Locale);
        if (session) {
          void put('/api/v1/auth/locale', { locale: value }).catch(() => undefined);
        } else {
          chooseBeforeSignIn(value as Locale);
        }
      }}
      data={[
        { value: 'ko', label: '한국어' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
};

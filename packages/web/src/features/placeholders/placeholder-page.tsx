import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/page.tsx';

type Module = 'catalog' | 'products' | 'sboms' | 'vulnerabilities' | 'risks' | 'incidents' | 'documents';

/** A module still on the roadmap: what it will cover, in the UI language with the other language below. */
export const PlaceholderPage = ({ module }: { module: Module }) => {
  const { t, i18n } = useTranslation();
  const other = i18n.getFixedT(i18n.language === 'ko' ? 'en' : 'ko');
  return (
    <Page title={t(`nav.${module}`)}>
      <Alert color="blue" variant="light" data-testid="placeholder">
        <Text size="sm">{t('placeholder.body', { scope: t(`scope.${module}`) })}</Text>
        <Text size="xs" c="dimmed" mt={6} lang={i18n.language === 'ko' ? 'en' : 'ko'}>
          {other('placeholder.body', { scope: other(`scope.${module}`) })}
        </Text>
      </Alert>
    </Page>
  );
};

import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/page.tsx';

export const PlaceholderPage = ({
  module,
}: {
  module: 'catalog' | 'products' | 'sboms' | 'vulnerabilities' | 'risks' | 'incidents' | 'documents';
}) => {
  const { t } = useTranslation();
  return (
    <Page title={t(`nav.${module}`)}>
      <Alert color="blue" variant="light" data-testid="placeholder">
        {t('placeholder.body', { scope: t(`scope.${module}`) })}
      </Alert>
    </Page>
  );
};

import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

/** Shows an API problem (its bilingual detail and field errors) or a generic message. */
export const ErrorAlert = ({ error }: { error: unknown }) => {
  const { t } = useTranslation();
  if (!error) {
    return null;
  }
  const message = error instanceof ApiError ? error.message : t('common.error');
  return (
    <Alert color="red" variant="light" data-testid="error-alert">
      {message}
      {error instanceof ApiError && error.errors.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
          {error.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              {e.path}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
};

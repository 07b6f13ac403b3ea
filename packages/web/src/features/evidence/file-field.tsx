import { Input, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** A plain file input (keyboard- and test-friendly) with a label and the chosen file's name and size. */
export const FileField = ({
  label,
  file,
  onChange,
  testId,
  accept,
}: {
  label: string;
  file: File | null;
  onChange: (file: File | null) => void;
  testId: string;
  accept?: string;
}) => {
  const { t } = useTranslation();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // the parent cleared the choice (e.g. after an upload): clear the input too
    if (file === null && ref.current) {
      ref.current.value = '';
    }
  }, [file]);
  return (
    <Input.Wrapper label={label} description={t('evidence.acceptedTypes')}>
      <input
        ref={ref}
        type="file"
        accept={accept}
        data-testid={testId}
        style={{ display: 'block', marginTop: 4, fontSize: 14 }}
        onChange={(e) => onChange(e.currentTarget.files?.[0] ?? null)}
      />
      {file && (
        <Text size="xs" c="dimmed" mt={2}>
          {file.name} · {formatBytes(file.size)}
        </Text>
      )}
    </Input.Wrapper>
  );
};

export const formatBytes = (n: number | null | undefined): string => {
  if (n === null || n === undefined) {
    return '—';
  }
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${(n / 1024).toFixed(1)} KB`;
  }
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
};

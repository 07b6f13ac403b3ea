import { Input, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { formatBytes } from '../evidence/file-field.tsx';

/**
 * A plain file input (keyboard- and test-friendly) with a label, a description of what is accepted, and the chosen
 * file's name and size. Clears itself when the parent clears the choice.
 */
export const FileInput = ({
  label,
  description,
  file,
  onChange,
  testId,
  accept,
}: {
  label: string;
  description: string;
  file: File | null;
  onChange: (file: File | null) => void;
  testId: string;
  accept?: string;
}) => {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (file === null && ref.current) {
      ref.current.value = '';
    }
  }, [file]);
  return (
    <Input.Wrapper label={label} description={description}>
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

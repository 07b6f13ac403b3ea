import { Alert, Button, Code, CopyButton, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Recovery codes, shown once, with copy and download. */
export const RecoveryCodes = ({ codes, onDone }: { codes: string[]; onDone: () => void }) => {
  const { t } = useTranslation();
  const text = `${codes.join('\n')}\n`;
  const href = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
  return (
    <Stack data-testid="recovery-codes">
      <Text fw={600}>{t('mfa.recoveryTitle')}</Text>
      <Alert color="yellow" variant="light">
        {t('mfa.recoveryHelp')}
      </Alert>
      <SimpleGrid cols={2} spacing="xs">
        {codes.map((c) => (
          <Code key={c} fz="sm" ta="center">
            {c}
          </Code>
        ))}
      </SimpleGrid>
      <Group>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
        <Button variant="light" component="a" href={href} download="medsec-recovery-codes.txt">
          {t('common.download')}
        </Button>
      </Group>
      <Button onClick={onDone} data-testid="recovery-done">
        {t('mfa.saved')}
      </Button>
    </Stack>
  );
};

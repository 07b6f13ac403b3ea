import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../ui/language-switch.tsx';

/** The frame of the pages before sign-in: product name, language switch, one card. */
export const AuthLayout = ({ title, children }: { title: string; children: ReactNode }) => {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="space-between" p="md">
        <Text fw={700} c="teal.8">
          {t('app.name')}
        </Text>
        <LanguageSwitch />
      </Group>
      <Center pt={40} pb={40}>
        <Paper withBorder shadow="sm" p="xl" radius="md" w={440}>
          <Stack gap="md">
            <div>
              <Title order={2}>{title}</Title>
              <Text size="sm" c="dimmed">
                {t('app.tagline')}
              </Text>
            </div>
            {children}
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
};

import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export const Page = ({
  title,
  help,
  actions,
  children,
}: {
  title: string;
  help?: string;
  actions?: ReactNode;
  children: ReactNode;
}) => (
  <Stack gap="md" maw={1200}>
    <Group justify="space-between" align="flex-end">
      <div>
        <Title order={2}>{title}</Title>
        {help && (
          <Text size="sm" c="dimmed">
            {help}
          </Text>
        )}
      </div>
      {actions}
    </Group>
    {children}
  </Stack>
);

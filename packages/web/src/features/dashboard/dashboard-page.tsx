import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { AuditVerifyResult } from '@medsec/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';

export const DashboardPage = () => {
  const { t } = useTranslation();
  const { session, can } = useSession();
  const audit = useLoad<AuditVerifyResult | null>(
    () => (can('audit:read') ? get<AuditVerifyResult>('/api/v1/audit-events/verify') : Promise.resolve(null)),
    [session?.organization.id],
  );
  if (!session) {
    return null;
  }
  return (
    <Page
      title={t('dashboard.welcome', { name: session.user.displayName })}
      help={t('dashboard.roleIn', { role: t(`roles.${session.role}`), org: session.organization.name })}
    >
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        <Card withBorder data-testid="card-mfa">
          <Text size="sm" c="dimmed">
            {t('profile.mfaSection')}
          </Text>
          <Group mt="xs">
            <Badge color={session.user.mfaEnabled ? 'teal' : 'orange'} size="lg">
              {session.user.mfaEnabled ? t('dashboard.mfaOn') : t('dashboard.mfaOff')}
            </Badge>
          </Group>
        </Card>
        {audit.data && (
          <Card withBorder data-testid="card-audit">
            <Text size="sm" c="dimmed">
              {t('nav.audit')}
            </Text>
            <Group mt="xs">
              <Badge color={audit.data.ok ? 'teal' : 'red'} size="lg">
                {audit.data.ok
                  ? t('dashboard.auditOk', { count: audit.data.events })
                  : t('dashboard.auditBroken')}
              </Badge>
            </Group>
          </Card>
        )}
        <Card withBorder>
          <Stack gap={4}>
            <Title order={5}>{t('dashboard.modulesTitle')}</Title>
            <Text size="sm" c="dimmed">
              {t('dashboard.modulesHelp')}
            </Text>
            <Group gap="xs" mt={4}>
              {(
                [
                  'catalog',
                  'products',
                  'sboms',
                  'vulnerabilities',
                  'risks',
                  'incidents',
                  'documents',
                ] as const
              ).map((m) => (
                <Badge key={m} variant="light" component={Link} to={`/${m}`} style={{ cursor: 'pointer' }}>
                  {t(`nav.${m}`)}
                </Badge>
              ))}
            </Group>
          </Stack>
        </Card>
      </SimpleGrid>
    </Page>
  );
};

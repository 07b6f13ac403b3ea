import { Anchor, Badge, Card, Group, RingProgress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { AuditVerifyResult, Product } from '@medsec/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { percent } from '../products/products-api.ts';
import { useLatestProgress } from '../products/use-latest-progress.ts';

/**
 * One tile per product: % verified of the applicable mandatory MFDS requirements of its latest release (the progress
 * endpoint's `mandatory` bucket), linking to that release's assessment board.
 */
const ProductTile = ({ product }: { product: Product }) => {
  const { t } = useTranslation();
  const { release, progress, loading } = useLatestProgress(product.id);
  const pct = progress?.mandatory.verifiedPercent ?? 0;
  const to = release ? `/products/${product.id}/releases/${release.id}` : `/products/${product.id}`;
  return (
    <Card withBorder data-testid={`dashboard-product-${product.name}`}>
      <Group wrap="nowrap" align="center">
        <RingProgress
          size={76}
          thickness={8}
          roundCaps={pct > 0}
          sections={[{ value: pct, color: pct >= 100 ? 'teal' : 'blue' }]}
          label={
            <Text ta="center" size="xs" fw={700} data-testid={`dashboard-percent-${product.name}`}>
              {loading ? '…' : percent(pct)}
            </Text>
          }
        />
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Anchor component={Link} to={to} fw={600} truncate>
            {product.name}
          </Anchor>
          <Text size="xs" c="dimmed">
            {product.model}
            {release ? ` · ${release.version}` : ''}
          </Text>
          <Text size="xs">
            {release
              ? t('dashboard.mandatoryVerified', {
                  done: progress?.mandatory.byStatus.verified ?? 0,
                  total: progress?.mandatory.total ?? 0,
                })
              : t('products.noRelease')}
          </Text>
        </Stack>
      </Group>
    </Card>
  );
};

export const DashboardPage = () => {
  const { t } = useTranslation();
  const { session, can } = useSession();
  const audit = useLoad<AuditVerifyResult | null>(
    () => (can('audit:read') ? get<AuditVerifyResult>('/api/v1/audit-events/verify') : Promise.resolve(null)),
    [session?.organization.id],
  );
  const canProducts = can('products:read');
  const products = useLoad(
    () =>
      canProducts
        ? get<{ items: Product[] }>(`/api/v1/products${query({ pageSize: 100 })}`).then((r) => r.items)
        : Promise.resolve([] as Product[]),
    [session?.organization.id, canProducts],
  );
  if (!session) {
    return null;
  }
  return (
    <Page
      title={t('dashboard.welcome', { name: session.user.displayName })}
      help={t('dashboard.roleIn', { role: t(`roles.${session.role}`), org: session.organization.name })}
    >
      {canProducts && (
        <Stack gap="xs" data-testid="dashboard-products">
          <Group justify="space-between">
            <Title order={4}>{t('dashboard.productsTitle')}</Title>
            <Anchor component={Link} to="/products" size="sm">
              {t('dashboard.allProducts')}
            </Anchor>
          </Group>
          {products.data?.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('dashboard.noProducts')}
            </Text>
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
              {products.data?.map((p) => (
                <ProductTile key={p.id} product={p} />
              ))}
            </SimpleGrid>
          )}
        </Stack>
      )}
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
                  'evidence',
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

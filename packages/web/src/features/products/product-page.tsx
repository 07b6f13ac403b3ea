import { Anchor, Badge, Button, Group, Loader, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { post } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { ApplicabilityTab } from './applicability-tab.tsx';
import { ArchitectureTab } from './architecture-tab.tsx';
import { getProduct, type Product } from './products-api.ts';
import { ProfileTab } from './profile-tab.tsx';
import { ReleasesTab } from './releases-tab.tsx';

const TABS = ['profile', 'releases', 'applicability', 'architecture'] as const;
type Tab = (typeof TABS)[number];

/** One product: profile (view/edit with an applicability preview), releases, applicability review, architecture. */
export const ProductPage = () => {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'profile';
  const product = useLoad(() => getProduct(id), [id]);
  const [error, setError] = useState<unknown>(null);
  const p = product.data;
  if (!p) {
    return product.error ? <ErrorAlert error={product.error} /> : <Loader />;
  }
  const archive = async (archived: boolean) => {
    setError(null);
    try {
      await post<Product>(`/api/v1/products/${p.id}/archive`, { archived });
      product.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page
      title={`${p.name} · ${p.model}`}
      help={`${p.manufacturer}${p.importer ? ` / ${p.importer}` : ''}`}
      actions={
        <Group>
          <Anchor component={Link} to="/products" size="sm">
            ← {t('products.title')}
          </Anchor>
          {p.archived && <Badge color="gray">{t('products.archived')}</Badge>}
          {can('products:write') && (
            <Button
              variant="default"
              size="xs"
              onClick={() => void archive(!p.archived)}
              data-testid="product-archive"
            >
              {p.archived ? t('products.restore') : t('products.archive')}
            </Button>
          )}
        </Group>
      }
    >
      <ErrorAlert error={error} />
      {p.intendedUse && (
        <Text size="sm" c="dimmed">
          {t('products.intendedUse')}: {p.intendedUse}
        </Text>
      )}
      <Tabs
        value={tab}
        onChange={(v) =>
          setParams((prev) => {
            const next = new URLSearchParams(prev);
            next.set('tab', v ?? 'profile');
            return next;
          })
        }
      >
        <Tabs.List>
          {TABS.map((k) => (
            <Tabs.Tab key={k} value={k} data-testid={`product-tab-${k}`}>
              {t(`products.tab_${k}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {tab === 'profile' && <ProfileTab product={p} onSaved={() => product.reload()} />}
      {tab === 'releases' && <ReleasesTab product={p} />}
      {tab === 'applicability' && <ApplicabilityTab product={p} />}
      {tab === 'architecture' && <ArchitectureTab product={p} />}
    </Page>
  );
};

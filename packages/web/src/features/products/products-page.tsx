import { Anchor, Badge, Button, Checkbox, Group, Progress, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { ProductWizard } from './product-wizard.tsx';
import { type Product, percent } from './products-api.ts';
import { useLatestProgress } from './use-latest-progress.ts';

const LatestCells = ({ product }: { product: Product }) => {
  const { t } = useTranslation();
  const { release, progress, loading } = useLatestProgress(product.id);
  if (loading) {
    return (
      <>
        <Table.Td>…</Table.Td>
        <Table.Td />
      </>
    );
  }
  const pct = progress?.mandatory.verifiedPercent ?? 0;
  return (
    <>
      <Table.Td>
        {release ? (
          <Anchor component={Link} to={`/products/${product.id}/releases/${release.id}`} size="sm">
            {release.version}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            {t('products.noRelease')}
          </Text>
        )}
      </Table.Td>
      <Table.Td w={200}>
        {progress && progress.mandatory.total > 0 ? (
          <Group gap="xs" wrap="nowrap" title={t('products.verifiedHelp')}>
            <Progress value={pct} color={pct >= 100 ? 'teal' : 'blue'} style={{ flex: 1 }} />
            <Text size="xs" w={44} ta="right" data-testid={`product-verified-${product.id}`}>
              {percent(pct)}
            </Text>
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
    </>
  );
};

export const ProductsPage = () => {
  const { t } = useTranslation();
  const { can } = useSession();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  const [archived, setArchived] = useState(false);
  const [wizard, setWizard] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(timer);
  }, [q]);
  const products = useLoad(
    () =>
      get<{ items: Product[]; total: number }>(
        `/api/v1/products${query({ q: debounced, includeArchived: archived ? 'true' : undefined, pageSize: 100 })}`,
      ),
    [debounced, archived],
  );
  return (
    <Page
      title={t('products.title')}
      help={t('products.help')}
      actions={
        can('products:write') && (
          <Button onClick={() => setWizard(true)} data-testid="product-new">
            {t('products.new')}
          </Button>
        )
      }
    >
      <Group>
        <TextInput
          placeholder={t('products.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-testid="products-search"
        />
        <Checkbox
          label={t('products.includeArchived')}
          checked={archived}
          onChange={(e) => setArchived(e.currentTarget.checked)}
        />
      </Group>
      <ErrorAlert error={products.error} />
      <Table withTableBorder highlightOnHover data-testid="products-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('products.name')}</Table.Th>
            <Table.Th>{t('products.model')}</Table.Th>
            <Table.Th>{t('products.kind')}</Table.Th>
            <Table.Th>{t('products.latestRelease')}</Table.Th>
            <Table.Th>{t('products.verifiedMandatory')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {products.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text size="sm" c="dimmed">
                  {t('products.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {products.data?.items.map((p) => (
            <Table.Tr key={p.id} data-testid={`product-row-${p.name}`}>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/products/${p.id}`}
                  fw={600}
                  data-testid={`product-open-${p.name}`}
                >
                  {p.name}
                </Anchor>{' '}
                {p.archived && (
                  <Badge size="xs" color="gray">
                    {t('products.archived')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{p.model}</Table.Td>
              <Table.Td>{t(`products.kind_${p.profile.kind}`)}</Table.Td>
              <LatestCells product={p} />
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ProductWizard
        opened={wizard}
        onClose={() => {
          setWizard(false);
          products.reload();
        }}
      />
    </Page>
  );
};

import { Anchor, Badge, Group, Loader, Table, Text } from '@mantine/core';
import type { Product, Release } from '@medsec/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, query } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { listReleases } from '../products/products-api.ts';
import { findingsHref } from '../vulnerabilities/findings-api.ts';

/** Every release of every product, with a way to its SBOMs and its findings (SBOMs are kept per release). */
export const SbomsPage = () => {
  const { t } = useTranslation();
  const rows = useLoad(async () => {
    const products = (
      await get<{ items: Product[] }>(`/api/v1/products${query({ pageSize: 100 })}`)
    ).items.filter((p) => !p.archived);
    return Promise.all(
      products.map(async (product) => ({ product, releases: await listReleases(product.id) })),
    );
  }, []);
  return (
    <Page title={t('sboms.title')} help={t('sboms.indexHelp')}>
      <ErrorAlert error={rows.error} />
      {!rows.data && !rows.error && <Loader size="sm" />}
      {rows.data && (
        <Table withTableBorder data-testid="sboms-index">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('products.name')}</Table.Th>
              <Table.Th>{t('products.version')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.data.every((r) => r.releases.length === 0) && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text size="sm" c="dimmed">
                    {t('sboms.indexEmpty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {rows.data.flatMap(({ product, releases }) =>
              releases.map((r: Release) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/products/${product.id}`} size="sm" fw={600}>
                      {product.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {product.model}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.version}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`products.releaseStatus_${r.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="md">
                      <Anchor
                        component={Link}
                        to={`/products/${product.id}/releases/${r.id}/sboms`}
                        size="sm"
                        data-testid={`sboms-open-${product.name}-${r.version}`}
                      >
                        {t('sboms.openSboms')}
                      </Anchor>
                      <Anchor
                        component={Link}
                        to={findingsHref({ productId: product.id, releaseId: r.id })}
                        size="sm"
                      >
                        {t('sboms.openFindings')}
                      </Anchor>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      )}
    </Page>
  );
};

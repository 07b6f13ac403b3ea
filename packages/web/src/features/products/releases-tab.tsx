import {
  Anchor,
  Button,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { patch, post } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDate } from '../../ui/format.ts';
import { useLoad } from '../../ui/use-load.ts';
import { findingsHref } from '../vulnerabilities/findings-api.ts';
import { listReleases, type Product, RELEASE_STATUSES, type Release } from './products-api.ts';

/** Releases (versions) of a product, newest first; a new one can start from a previous one's assessment. */
export const ReleasesTab = ({ product }: { product: Product }) => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const write = can('products:write');
  const releases = useLoad(() => listReleases(product.id), [product.id]);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const items = releases.data ?? [];
  const versionOf = (id: string | null) => items.find((r) => r.id === id)?.version ?? '—';
  const setStatus = async (r: Release, status: string) => {
    setError(null);
    try {
      await patch(`/api/v1/releases/${r.id}`, { status });
      releases.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack data-testid="releases-tab">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('products.releasesHelp')}
        </Text>
        {write && (
          <Button onClick={() => setAdding(true)} data-testid="release-add">
            {t('products.addRelease')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={error ?? releases.error} />
      <Table withTableBorder data-testid="releases-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('products.version')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th>{t('products.releaseDate')}</Table.Th>
            <Table.Th>{t('products.basedOn')}</Table.Th>
            <Table.Th>{t('products.notes')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {releases.data && items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text size="sm" c="dimmed">
                  {t('products.noRelease')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {items.map((r) => (
            <Table.Tr key={r.id} data-testid={`release-row-${r.version}`}>
              <Table.Td fw={600}>{r.version}</Table.Td>
              <Table.Td>
                {write ? (
                  <NativeSelect
                    size="xs"
                    value={r.status}
                    aria-label={t('common.status')}
                    data={RELEASE_STATUSES.map((s) => ({
                      value: s,
                      label: t(`products.releaseStatus_${s}`),
                    }))}
                    onChange={(e) => void setStatus(r, e.currentTarget.value)}
                  />
                ) : (
                  t(`products.releaseStatus_${r.status}`)
                )}
              </Table.Td>
              <Table.Td>{formatDate(r.releaseDate, i18n.language)}</Table.Td>
              <Table.Td>{versionOf(r.basedOn)}</Table.Td>
              <Table.Td>
                <Text size="xs" lineClamp={2}>
                  {r.notes}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap="sm" wrap="nowrap">
                  <Anchor
                    component={Link}
                    to={`/products/${product.id}/releases/${r.id}`}
                    size="sm"
                    data-testid={`release-open-${r.version}`}
                  >
                    {t('products.openBoard')}
                  </Anchor>
                  <Anchor
                    component={Link}
                    to={`/products/${product.id}/releases/${r.id}/sboms`}
                    size="sm"
                    data-testid={`release-sboms-${r.version}`}
                  >
                    {t('products.openSboms')}
                  </Anchor>
                  <Anchor
                    component={Link}
                    to={findingsHref({ productId: product.id, releaseId: r.id })}
                    size="sm"
                    data-testid={`release-findings-${r.version}`}
                  >
                    {t('products.openFindings')}
                  </Anchor>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <AddReleaseModal opened={adding} product={product} releases={items} onClose={() => setAdding(false)} />
    </Stack>
  );
};

const AddReleaseModal = ({
  opened,
  product,
  releases,
  onClose,
}: {
  opened: boolean;
  product: Product;
  releases: Release[];
  onClose: () => void;
}) => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [version, setVersion] = useState('');
  const [releaseDate, setReleaseDate] = useState('');
  const [status, setStatus] = useState<string>('in-development');
  // default: start from the newest release, so its assessment and architecture carry over
  const [basedOn, setBasedOn] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const base = basedOn ?? releases[0]?.id ?? '';
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await post<Release>(`/api/v1/products/${product.id}/releases`, {
        version: version.trim(),
        releaseDate: releaseDate || null,
        status,
        basedOn: base || null,
        notes,
      });
      setVersion('');
      setNotes('');
      setBasedOn(null);
      onClose();
      void navigate(`/products/${product.id}/releases/${r.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('products.addRelease')}>
      <Stack>
        <TextInput
          required
          label={t('products.version')}
          value={version}
          onChange={(e) => setVersion(e.currentTarget.value)}
          data-testid="release-version"
        />
        <NativeSelect
          label={t('products.basedOn')}
          description={t('products.basedOnHelp')}
          value={base}
          onChange={(e) => setBasedOn(e.currentTarget.value)}
          data={[
            { value: '', label: t('products.fresh') },
            ...releases.map((r) => ({ value: r.id, label: r.version })),
          ]}
          data-testid="release-based-on"
        />
        <Group grow>
          <NativeSelect
            label={t('common.status')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value)}
            data={RELEASE_STATUSES.map((s) => ({ value: s, label: t(`products.releaseStatus_${s}`) }))}
          />
          <TextInput
            type="date"
            label={t('products.releaseDate')}
            value={releaseDate}
            onChange={(e) => setReleaseDate(e.currentTarget.value)}
          />
        </Group>
        <Textarea
          label={t('products.notes')}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
        />
        <ErrorAlert error={error} />
        <Button
          loading={busy}
          disabled={!version.trim()}
          onClick={() => void submit()}
          data-testid="release-submit"
        >
          {t('common.create')}
        </Button>
      </Stack>
    </Modal>
  );
};

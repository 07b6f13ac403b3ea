import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Modal,
  ScrollArea,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import {
  type ApplicabilityChange,
  getServiceModel,
  type Product,
  type ProductProfile,
  shortRef,
} from './products-api.ts';
import {
  type Identity,
  IdentityFields,
  identityBody,
  isIdentityComplete,
  ProfileFields,
  ProfileSummary,
} from './profile-form.tsx';

const identityOf = (p: Product): Identity => ({
  name: p.name,
  model: p.model,
  manufacturer: p.manufacturer,
  importer: p.importer ?? '',
  grade: p.grade === null ? '' : String(p.grade),
  intendedUse: p.intendedUse,
});

/** The changes a profile would make: requirements that start or stop applying, each with the rule's reason. */
export const ChangesTable = ({ changes }: { changes: ApplicabilityChange[] }) => {
  const { t, i18n } = useTranslation();
  if (changes.length === 0) {
    return (
      <Text size="sm" data-testid="preview-none">
        {t('products.previewNone')}
      </Text>
    );
  }
  const added = changes.filter((c) => c.to).length;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge color="teal" variant="light" data-testid="preview-added">
          {t('products.previewAdded', { count: added })}
        </Badge>
        <Badge color="orange" variant="light" data-testid="preview-removed">
          {t('products.previewRemoved', { count: changes.length - added })}
        </Badge>
      </Group>
      <ScrollArea.Autosize mah={380}>
        <Table fz="sm" verticalSpacing={4} data-testid="preview-changes">
          <Table.Tbody>
            {changes.map((c) => (
              <Table.Tr key={c.ref} data-testid={`preview-change-${c.ref}`}>
                <Table.Td w={90}>
                  <Badge color={c.to ? 'teal' : 'orange'} size="sm">
                    {c.to ? t('products.willApply') : t('products.willNotApply')}
                  </Badge>
                </Table.Td>
                <Table.Td w={190}>
                  <Code>{shortRef(c.ref)}</Code>
                </Table.Td>
                <Table.Td>{i18n.language === 'en' ? c.reasonEn : c.reasonKo}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Stack>
  );
};

/**
 * Profile view and edit. Saving first asks the server what applicability would change (preview, nothing stored),
 * shows it, and only on confirmation saves; the server then re-decides applicability and updates open releases.
 */
export const ProfileTab = ({ product, onSaved }: { product: Product; onSaved: () => void }) => {
  const { t } = useTranslation();
  const { can } = useSession();
  const model = useLoad(getServiceModel, []);
  const [editing, setEditing] = useState(false);
  const [identity, setIdentity] = useState<Identity>(() => identityOf(product));
  const [profile, setProfile] = useState<ProductProfile>(product.profile);
  const [preview, setPreview] = useState<ApplicabilityChange[] | null>(null);
  const [applied, setApplied] = useState<ApplicabilityChange[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const startEdit = () => {
    setIdentity(identityOf(product));
    setProfile(product.profile);
    setApplied(null);
    setEditing(true);
  };
  const askPreview = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await post<{ changes: ApplicabilityChange[] }>(
        `/api/v1/products/${product.id}/applicability/preview`,
        { profile },
      );
      setPreview(res.changes);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await patch<{ product: Product; applicabilityChanges: ApplicabilityChange[] }>(
        `/api/v1/products/${product.id}`,
        { ...identityBody(identity), profile },
      );
      setPreview(null);
      setEditing(false);
      setApplied(res.applicabilityChanges);
      onSaved();
    } catch (err) {
      setError(err);
      setPreview(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack data-testid="profile-tab">
      {applied && (
        <Alert color="teal" withCloseButton onClose={() => setApplied(null)} data-testid="profile-saved">
          {t('products.savedChanges', { count: applied.length })}
        </Alert>
      )}
      <ErrorAlert error={error ?? model.error} />
      {editing ? (
        <Card withBorder>
          <Stack>
            <Title order={5}>{t('products.stepIdentity')}</Title>
            <IdentityFields value={identity} onChange={setIdentity} />
            <Title order={5}>{t('products.stepProfile')}</Title>
            <ProfileFields value={profile} onChange={setProfile} model={model.data} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                loading={busy}
                disabled={!isIdentityComplete(identity)}
                onClick={() => void askPreview()}
                data-testid="profile-save"
              >
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </Card>
      ) : (
        <Card withBorder>
          <Stack>
            <Group justify="space-between">
              <Text size="sm">
                {product.manufacturer}
                {product.grade ? ` · ${t('products.gradeN', { n: product.grade })}` : ''}
              </Text>
              {can('products:write') && (
                <Button size="xs" variant="light" onClick={startEdit} data-testid="profile-edit">
                  {t('common.edit')}
                </Button>
              )}
            </Group>
            <ProfileSummary value={product.profile} model={model.data} />
          </Stack>
        </Card>
      )}
      <Modal
        opened={preview !== null}
        onClose={() => setPreview(null)}
        title={t('products.previewTitle')}
        size="xl"
      >
        <Stack>
          <Text size="sm" c="dimmed">
            {t('products.previewHelp')}
          </Text>
          {preview && <ChangesTable changes={preview} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPreview(null)}>
              {t('common.cancel')}
            </Button>
            <Button loading={busy} onClick={() => void save()} data-testid="preview-confirm">
              {t('products.previewConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
};

import {
  Badge,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, put } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useLoad } from '../../ui/use-load.ts';
import { ObligationTag, refLabel } from '../compliance/labels.tsx';
import { type ApplicabilityView, type Product, pick } from './products-api.ts';

type AppliesFilter = 'all' | 'yes' | 'no' | 'overridden';

/**
 * Which requirements apply to the product and why (the rule's reason in the UI language), with a person's override
 * marked; overriding needs a justification (≥ 10 characters) and a reference such as the risk-file number.
 */
export const ApplicabilityTab = ({ product }: { product: Product }) => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const lang = i18n.language;
  const write = can('compliance:write');
  const list = useLoad(
    () => get<{ items: ApplicabilityView[] }>(`/api/v1/products/${product.id}/applicability`),
    [product.id, product.updatedAt],
  );
  const [applies, setApplies] = useState<AppliesFilter>('all');
  const [framework, setFramework] = useState('all');
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<ApplicabilityView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const items = list.data?.items ?? [];
  const frameworks = useMemo(() => [...new Set(items.map((i) => i.framework))], [items]);
  const needle = q.trim().toLowerCase();
  const shown = items.filter(
    (i) =>
      (framework === 'all' || i.framework === framework) &&
      (applies === 'all' ||
        (applies === 'yes' && i.applicable) ||
        (applies === 'no' && !i.applicable) ||
        (applies === 'overridden' && i.override !== null)) &&
      (!needle ||
        `${i.ref} ${i.titleKo ?? ''} ${i.titleEn ?? ''} ${i.textKo} ${i.textEn ?? ''}`
          .toLowerCase()
          .includes(needle)),
  );
  const counts = {
    yes: items.filter((i) => i.applicable).length,
    no: items.filter((i) => !i.applicable).length,
    overridden: items.filter((i) => i.override).length,
  };
  const clear = async (v: ApplicabilityView) => {
    setError(null);
    try {
      await del(`/api/v1/products/${product.id}/applicability/${encodeURIComponent(v.ref)}`);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Stack data-testid="applicability-tab">
      <Group>
        <SegmentedControl
          value={applies}
          onChange={(v) => setApplies(v as AppliesFilter)}
          data={[
            { value: 'all', label: `${t('common.all')} (${items.length})` },
            { value: 'yes', label: `${t('products.applies')} (${counts.yes})` },
            { value: 'no', label: `${t('products.notApplies')} (${counts.no})` },
            { value: 'overridden', label: `${t('products.overridden')} (${counts.overridden})` },
          ]}
          data-testid="applicability-filter"
        />
        <SegmentedControl
          value={framework}
          onChange={setFramework}
          data={[
            { value: 'all', label: t('common.all') },
            ...frameworks.map((f) => ({ value: f, label: t(`catalog.framework_${f}`, { defaultValue: f }) })),
          ]}
          data-testid="applicability-framework"
        />
        <TextInput
          placeholder={t('common.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-testid="applicability-search"
        />
      </Group>
      <ErrorAlert error={error ?? list.error} />
      <Table withTableBorder verticalSpacing={6} fz="sm" data-testid="applicability-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={150}>{t('products.ref')}</Table.Th>
            <Table.Th>{t('products.requirement')}</Table.Th>
            <Table.Th w={90}>{t('products.appliesCol')}</Table.Th>
            <Table.Th>{t('products.reason')}</Table.Th>
            {write && <Table.Th w={120} />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((i) => (
            <Table.Tr
              key={i.ref}
              data-testid={`applicability-row-${i.ref}`}
              data-applicable={i.applicable ? 'Y' : 'N'}
            >
              <Table.Td style={{ paddingLeft: i.kind === 'article' ? undefined : 24 }}>
                <Text size="sm" fw={i.kind === 'article' ? 700 : 400}>
                  {refLabel(i.ref, t)}
                </Text>
                <ObligationTag value={i.obligation} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={i.kind === 'article' ? 600 : 400}>
                  {pick(lang, i.titleKo, i.titleEn)}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  {pick(lang, i.textKo, i.textEn)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Badge color={i.applicable ? 'teal' : 'gray'} data-testid={`applies-${i.ref}`}>
                    {i.applicable ? 'Y' : 'N'}
                  </Badge>
                  {i.override && (
                    <Tooltip
                      multiline
                      w={320}
                      label={`${i.override.justification}${i.override.reference ? ` (${i.override.reference})` : ''} — ${formatDateTime(i.override.at, lang)}`}
                    >
                      <Badge color="orange" variant="outline" data-testid={`overridden-${i.ref}`}>
                        {t('products.overrideMark')}
                      </Badge>
                    </Tooltip>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="xs" data-testid={`reason-${i.ref}`}>
                  {lang === 'en' ? i.reasonEn : i.reasonKo}
                </Text>
                {i.override && (
                  <Text size="xs" c="orange.8">
                    {t('products.overrideBy', { justification: i.override.justification })}
                    {i.override.reference ? ` (${i.override.reference})` : ''}
                  </Text>
                )}
              </Table.Td>
              {write && (
                <Table.Td>
                  {i.override ? (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => void clear(i)}
                      data-testid={`override-clear-${i.ref}`}
                    >
                      {t('products.clearOverride')}
                    </Button>
                  ) : (
                    <Button
                      size="compact-xs"
                      variant="light"
                      onClick={() => setEditing(i)}
                      data-testid={`override-${i.ref}`}
                    >
                      {t('products.override')}
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <OverrideModal
        productId={product.id}
        item={editing}
        onClose={(saved) => {
          setEditing(null);
          if (saved) {
            list.reload();
          }
        }}
      />
    </Stack>
  );
};

const OverrideModal = ({
  productId,
  item,
  onClose,
}: {
  productId: string;
  item: ApplicabilityView | null;
  onClose: (saved: boolean) => void;
}) => {
  const { t, i18n } = useTranslation();
  const [applicable, setApplicable] = useState<boolean | null>(null);
  const [justification, setJustification] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // by default the override flips the rule's decision
  const value = applicable ?? !item?.applicable;
  const close = (saved: boolean) => {
    setApplicable(null);
    setJustification('');
    setReference('');
    setError(null);
    onClose(saved);
  };
  const submit = async () => {
    if (!item) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await put(`/api/v1/products/${productId}/applicability/${encodeURIComponent(item.ref)}`, {
        applicable: value,
        justification: justification.trim(),
        reference: reference.trim() || null,
      });
      close(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const tooShort = justification.trim().length < 10;
  return (
    <Modal opened={item !== null} onClose={() => close(false)} title={t('products.overrideTitle')} size="lg">
      {item && (
        <Stack>
          <Text size="sm" fw={600}>
            {refLabel(item.ref, t)} {pick(i18n.language, item.titleKo, item.titleEn)}
          </Text>
          <Text size="xs" c="dimmed">
            {t('products.ruleSays')}: {item.applicable ? t('products.applies') : t('products.notApplies')} —{' '}
            {i18n.language === 'en' ? item.reasonEn : item.reasonKo}
          </Text>
          <Switch
            label={value ? t('products.applies') : t('products.notApplies')}
            checked={value}
            onChange={(e) => setApplicable(e.currentTarget.checked)}
            data-testid="override-applicable"
          />
          <Textarea
            required
            autosize
            minRows={3}
            label={t('products.justification')}
            description={t('products.justificationHelp')}
            value={justification}
            onChange={(e) => setJustification(e.currentTarget.value)}
            error={justification && tooShort ? t('products.justificationShort') : undefined}
            data-testid="override-justification"
          />
          <TextInput
            label={t('products.reference')}
            description={t('products.referenceHelp')}
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
            data-testid="override-reference"
          />
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => close(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              loading={busy}
              disabled={tooShort || !reference.trim()}
              onClick={() => void submit()}
              data-testid="override-submit"
            >
              {t('products.override')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
};

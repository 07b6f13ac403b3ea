import {
  ActionIcon,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import type { KisaModelFile } from '@medsec/core';
import { useTranslation } from 'react-i18next';
import {
  DEPLOYMENTS,
  INTERFACES,
  PRODUCT_KINDS,
  PROFILE_FLAGS,
  type ProductProfile,
  pick,
  SERVICE_DOMAINS,
} from './products-api.ts';

/** Who the product is and what it is for (the first wizard step, and the top of the edit form). */
export interface Identity {
  name: string;
  model: string;
  manufacturer: string;
  importer: string;
  grade: string;
  intendedUse: string;
}

export const emptyIdentity = (): Identity => ({
  name: '',
  model: '',
  manufacturer: '',
  importer: '',
  grade: '',
  intendedUse: '',
});

export const identityBody = (i: Identity) => ({
  name: i.name.trim(),
  model: i.model.trim(),
  manufacturer: i.manufacturer.trim(),
  importer: i.importer.trim() || null,
  grade: i.grade ? Number(i.grade) : null,
  intendedUse: i.intendedUse,
});

export const isIdentityComplete = (i: Identity): boolean =>
  i.name.trim() !== '' && i.model.trim() !== '' && i.manufacturer.trim() !== '';

export const IdentityFields = ({ value, onChange }: { value: Identity; onChange: (v: Identity) => void }) => {
  const { t } = useTranslation();
  const set = (k: keyof Identity) => (e: { currentTarget: { value: string } }) =>
    onChange({ ...value, [k]: e.currentTarget.value });
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          required
          label={t('products.name')}
          value={value.name}
          onChange={set('name')}
          data-testid="product-name"
        />
        <TextInput
          required
          label={t('products.model')}
          value={value.model}
          onChange={set('model')}
          data-testid="product-model"
        />
        <TextInput
          required
          label={t('products.manufacturer')}
          value={value.manufacturer}
          onChange={set('manufacturer')}
          data-testid="product-manufacturer"
        />
        <TextInput
          label={t('products.importer')}
          value={value.importer}
          onChange={set('importer')}
          data-testid="product-importer"
        />
        <NativeSelect
          label={t('products.grade')}
          value={value.grade}
          onChange={set('grade')}
          data={[
            { value: '', label: t('products.gradeUnknown') },
            ...[1, 2, 3, 4].map((g) => ({ value: String(g), label: t('products.gradeN', { n: g }) })),
          ]}
          data-testid="product-grade"
        />
      </SimpleGrid>
      <Textarea
        label={t('products.intendedUse')}
        autosize
        minRows={2}
        value={value.intendedUse}
        onChange={set('intendedUse')}
        data-testid="product-intended-use"
      />
    </Stack>
  );
};

/**
 * The product profile: the questions the applicability rules decide from (kind, KISA service domains and device role
 * class, interfaces with version and purpose, yes/no flags, deployment, end-of-life and end-of-support dates).
 */
export const ProfileFields = ({
  value,
  onChange,
  model,
}: {
  value: ProductProfile;
  onChange: (p: ProductProfile) => void;
  model: KisaModelFile | undefined;
}) => {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const domains = model?.domains.length
    ? model.domains
        .filter((d) => (SERVICE_DOMAINS as readonly string[]).includes(d.key))
        .map((d) => ({ key: d.key, label: pick(lang, d.titleKo, d.titleEn) }))
    : SERVICE_DOMAINS.map((d) => ({ key: d, label: t(`products.domain_${d}`) }));
  const setInterface = (index: number, patch: Partial<ProductProfile['interfaces'][number]>) =>
    onChange({
      ...value,
      interfaces: value.interfaces.map((x, i) => (i === index ? { ...x, ...patch } : x)),
    });
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NativeSelect
          label={t('products.kind')}
          value={value.kind}
          onChange={(e) => onChange({ ...value, kind: e.currentTarget.value as ProductProfile['kind'] })}
          data={PRODUCT_KINDS.map((k) => ({ value: k, label: t(`products.kind_${k}`) }))}
          data-testid="profile-kind"
        />
        <NativeSelect
          label={t('products.roleClass')}
          value={value.deviceRoleClass ?? ''}
          onChange={(e) => onChange({ ...value, deviceRoleClass: e.currentTarget.value || null })}
          data={[
            { value: '', label: t('common.none') },
            ...(model?.deviceRoleClasses ?? []).map((c) => ({
              value: c.key,
              label: pick(lang, c.titleKo, c.titleEn),
            })),
          ]}
          data-testid="profile-role-class"
        />
      </SimpleGrid>
      <Checkbox.Group
        label={t('products.domains')}
        description={t('products.domainsHelp')}
        value={value.domains}
        onChange={(v) => onChange({ ...value, domains: v as ProductProfile['domains'] })}
      >
        <Group mt={4}>
          {domains.map((d) => (
            <Checkbox key={d.key} value={d.key} label={d.label} data-testid={`profile-domain-${d.key}`} />
          ))}
        </Group>
      </Checkbox.Group>
      <TagsInput
        label={t('products.operatingSystems')}
        description={t('products.operatingSystemsHelp')}
        value={value.operatingSystems}
        onChange={(v) => onChange({ ...value, operatingSystems: v })}
        data-testid="profile-os"
      />
      <Fieldset legend={t('products.interfaces')} p="sm">
        <Stack gap="xs">
          {value.interfaces.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('products.noInterfaces')}
            </Text>
          )}
          {value.interfaces.map((x, i) => (
            // interfaces have no id of their own: their position is their identity while editing
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <Group key={i} gap="xs" align="flex-end" wrap="nowrap">
              <NativeSelect
                label={t('products.interfaceKind')}
                value={x.kind}
                onChange={(e) =>
                  setInterface(i, { kind: e.currentTarget.value as (typeof INTERFACES)[number] })
                }
                data={INTERFACES.map((k) => ({ value: k, label: t(`products.interface_${k}`) }))}
                data-testid={`profile-interface-kind-${i}`}
              />
              <TextInput
                label={t('products.interfaceVersion')}
                w={110}
                value={x.version ?? ''}
                onChange={(e) => setInterface(i, { version: e.currentTarget.value || undefined })}
                data-testid={`profile-interface-version-${i}`}
              />
              <TextInput
                label={t('products.interfacePurpose')}
                style={{ flex: 1 }}
                value={x.purpose ?? ''}
                onChange={(e) => setInterface(i, { purpose: e.currentTarget.value || undefined })}
                data-testid={`profile-interface-purpose-${i}`}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mb={4}
                aria-label={t('common.remove')}
                onClick={() => onChange({ ...value, interfaces: value.interfaces.filter((_, j) => j !== i) })}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button
              size="xs"
              variant="light"
              onClick={() =>
                onChange({ ...value, interfaces: [...value.interfaces, { kind: 'bluetooth-le' }] })
              }
              data-testid="profile-add-interface"
            >
              {t('products.addInterface')}
            </Button>
          </Group>
        </Stack>
      </Fieldset>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        {PROFILE_FLAGS.map((f) => (
          <Checkbox
            key={f}
            label={t(`products.flag_${f}`)}
            checked={value[f]}
            onChange={(e) => onChange({ ...value, [f]: e.currentTarget.checked })}
            data-testid={`profile-flag-${f}`}
          />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <NativeSelect
          label={t('products.deployment')}
          value={value.deployment}
          onChange={(e) =>
            onChange({ ...value, deployment: e.currentTarget.value as ProductProfile['deployment'] })
          }
          data={DEPLOYMENTS.map((d) => ({ value: d, label: t(`products.deployment_${d}`) }))}
          data-testid="profile-deployment"
        />
        <TextInput
          type="date"
          label={t('products.endOfLife')}
          value={value.endOfLife ?? ''}
          onChange={(e) => onChange({ ...value, endOfLife: e.currentTarget.value || null })}
          data-testid="profile-end-of-life"
        />
        <TextInput
          type="date"
          label={t('products.endOfSupport')}
          value={value.endOfSupport ?? ''}
          onChange={(e) => onChange({ ...value, endOfSupport: e.currentTarget.value || null })}
          data-testid="profile-end-of-support"
        />
      </SimpleGrid>
    </Stack>
  );
};

/** A read-only summary of a profile (wizard review step, profile tab). */
export const ProfileSummary = ({
  value,
  model,
}: {
  value: ProductProfile;
  model: KisaModelFile | undefined;
}) => {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const domainLabel = (d: string) => {
    const m = model?.domains.find((x) => x.key === d);
    return m ? pick(lang, m.titleKo, m.titleEn) : t(`products.domain_${d}`);
  };
  const roleClass = model?.deviceRoleClasses.find((c) => c.key === value.deviceRoleClass);
  const rows: [string, string][] = [
    [t('products.kind'), t(`products.kind_${value.kind}`)],
    [t('products.domains'), value.domains.map(domainLabel).join(', ') || '—'],
    [
      t('products.roleClass'),
      roleClass ? pick(lang, roleClass.titleKo, roleClass.titleEn) : (value.deviceRoleClass ?? '—'),
    ],
    [t('products.operatingSystems'), value.operatingSystems.join(', ') || '—'],
    [
      t('products.interfaces'),
      value.interfaces
        .map(
          (x) =>
            `${t(`products.interface_${x.kind}`)}${x.version ? ` ${x.version}` : ''}${x.purpose ? ` (${x.purpose})` : ''}`,
        )
        .join(', ') || '—',
    ],
    ...PROFILE_FLAGS.map((f): [string, string] => [
      t(`products.flag_${f}`),
      value[f] ? t('common.yes') : t('common.no'),
    ]),
    [t('products.deployment'), t(`products.deployment_${value.deployment}`)],
    [t('products.endOfLife'), value.endOfLife ?? '—'],
    [t('products.endOfSupport'), value.endOfSupport ?? '—'],
  ];
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4} verticalSpacing={4} data-testid="profile-summary">
      {rows.map(([k, v]) => (
        <Group key={k} gap="xs" wrap="nowrap" align="flex-start">
          <Text size="sm" c="dimmed" w={200} style={{ flexShrink: 0 }}>
            {k}
          </Text>
          <Text size="sm">{v}</Text>
        </Group>
      ))}
    </SimpleGrid>
  );
};

import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, post } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { ArchitectureDiagram } from './architecture-diagram.tsx';
import {
  type ArchitectureElement,
  type DataFlow,
  ELEMENT_KINDS,
  type ElementKind,
  INTERFACES,
  listReleases,
  type Product,
} from './products-api.ts';

/** Architecture inventory of a release: elements and data flows, drawn as a diagram; add and remove. */
export const ArchitectureTab = ({ product }: { product: Product }) => {
  const { t } = useTranslation();
  const { can } = useSession();
  const write = can('products:write');
  const releases = useLoad(() => listReleases(product.id), [product.id]);
  const [releaseId, setReleaseId] = useState<string>('');
  useEffect(() => {
    if (!releaseId && releases.data?.[0]) {
      setReleaseId(releases.data[0].id);
    }
  }, [releases.data, releaseId]);
  const arch = useLoad(
    () =>
      releaseId
        ? get<{ elements: ArchitectureElement[]; flows: DataFlow[] }>(
            `/api/v1/releases/${releaseId}/architecture`,
          )
        : Promise.resolve({ elements: [], flows: [] }),
    [releaseId],
  );
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    try {
      await fn();
      arch.reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  };
  if (releases.data && releases.data.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="architecture-tab">
        {t('products.architectureNoRelease')}
      </Text>
    );
  }
  const elements = arch.data?.elements ?? [];
  const flows = arch.data?.flows ?? [];
  const nameOf = (id: string) => elements.find((e) => e.id === id)?.name ?? '?';
  return (
    <Stack data-testid="architecture-tab">
      <Group>
        <NativeSelect
          label={t('products.release')}
          value={releaseId}
          onChange={(e) => setReleaseId(e.currentTarget.value)}
          data={(releases.data ?? []).map((r) => ({ value: r.id, label: r.version }))}
          data-testid="architecture-release"
        />
      </Group>
      <ErrorAlert error={error ?? arch.error ?? releases.error} />
      <Card withBorder>
        <ArchitectureDiagram elements={elements} flows={flows} />
      </Card>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Stack gap="xs">
          <Title order={5}>{t('products.elements')}</Title>
          <Table withTableBorder fz="sm" data-testid="elements-table">
            <Table.Tbody>
              {elements.map((e) => (
                <Table.Tr key={e.id} data-testid={`element-${e.name}`}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {e.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {[
                        e.interface ? t(`products.interface_${e.interface}`) : null,
                        e.portProtocol,
                        e.purpose,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" size="sm">
                      {t(`products.element_${e.kind}`)}
                    </Badge>{' '}
                    {e.personalData && (
                      <Badge color="red" variant="outline" size="sm">
                        {t('products.personalDataShort')}
                      </Badge>
                    )}
                  </Table.Td>
                  {write && (
                    <Table.Td w={40}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('common.remove')}
                        onClick={() => void act(() => del(`/api/v1/architecture/elements/${e.id}`))}
                        data-testid={`element-remove-${e.name}`}
                      >
                        ×
                      </ActionIcon>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {write && releaseId && (
            <ElementForm
              onAdd={(body) => act(() => post(`/api/v1/releases/${releaseId}/architecture/elements`, body))}
            />
          )}
        </Stack>
        <Stack gap="xs">
          <Title order={5}>{t('products.flows')}</Title>
          <Table withTableBorder fz="sm" data-testid="flows-table">
            <Table.Tbody>
              {flows.map((f) => (
                <Table.Tr key={f.id} data-testid={`flow-${f.name}`}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {f.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {nameOf(f.fromId)} → {nameOf(f.toId)} {f.protocol && `· ${f.protocol}`}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {f.encrypted && (
                        <Badge size="sm" color="teal" variant="light">
                          {t('products.encrypted')}
                        </Badge>
                      )}
                      {f.personalData && (
                        <Badge size="sm" color="red" variant="outline">
                          {t('products.personalDataShort')}
                        </Badge>
                      )}
                      {f.crossesTrustBoundary && (
                        <Badge size="sm" color="orange" variant="outline">
                          {t('products.trustBoundary')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  {write && (
                    <Table.Td w={40}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('common.remove')}
                        onClick={() => void act(() => del(`/api/v1/architecture/flows/${f.id}`))}
                      >
                        ×
                      </ActionIcon>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {write && releaseId && elements.length >= 2 && (
            <FlowForm
              elements={elements}
              onAdd={(body) => act(() => post(`/api/v1/releases/${releaseId}/architecture/flows`, body))}
            />
          )}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
};

const ElementForm = ({ onAdd }: { onAdd: (body: object) => Promise<boolean> }) => {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ElementKind>('software');
  const [name, setName] = useState('');
  const [iface, setIface] = useState('');
  const [portProtocol, setPortProtocol] = useState('');
  const [purpose, setPurpose] = useState('');
  const [personalData, setPersonalData] = useState(false);
  const submit = async () => {
    const ok = await onAdd({
      kind,
      name: name.trim(),
      interface: iface || null,
      portProtocol: portProtocol.trim() || null,
      purpose,
      personalData,
    });
    if (ok) {
      setName('');
      setPortProtocol('');
      setPurpose('');
      setPersonalData(false);
    }
  };
  return (
    <Card withBorder p="sm">
      <Stack gap="xs">
        <Group grow>
          <NativeSelect
            size="xs"
            label={t('products.elementKind')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as ElementKind)}
            data={ELEMENT_KINDS.map((k) => ({ value: k, label: t(`products.element_${k}`) }))}
            data-testid="element-kind"
          />
          <TextInput
            size="xs"
            label={t('common.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="element-name"
          />
        </Group>
        <Group grow>
          <NativeSelect
            size="xs"
            label={t('products.interfaceKind')}
            value={iface}
            onChange={(e) => setIface(e.currentTarget.value)}
            data={[
              { value: '', label: '—' },
              ...INTERFACES.map((k) => ({ value: k, label: t(`products.interface_${k}`) })),
            ]}
          />
          <TextInput
            size="xs"
            label={t('products.portProtocol')}
            value={portProtocol}
            onChange={(e) => setPortProtocol(e.currentTarget.value)}
          />
        </Group>
        <TextInput
          size="xs"
          label={t('products.interfacePurpose')}
          value={purpose}
          onChange={(e) => setPurpose(e.currentTarget.value)}
        />
        <Group justify="space-between">
          <Checkbox
            size="xs"
            label={t('products.flag_personalData')}
            checked={personalData}
            onChange={(e) => setPersonalData(e.currentTarget.checked)}
          />
          <Button size="xs" disabled={!name.trim()} onClick={() => void submit()} data-testid="element-add">
            {t('products.addElement')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
};

const FlowForm = ({
  elements,
  onAdd,
}: {
  elements: ArchitectureElement[];
  onAdd: (body: object) => Promise<boolean>;
}) => {
  const { t } = useTranslation();
  const [fromId, setFromId] = useState(elements[0]?.id ?? '');
  const [toId, setToId] = useState(elements[1]?.id ?? '');
  const [name, setName] = useState('');
  const [protocol, setProtocol] = useState('');
  const [flags, setFlags] = useState({ personalData: false, encrypted: true, crossesTrustBoundary: false });
  const options = elements.map((e) => ({ value: e.id, label: e.name }));
  const from = elements.some((e) => e.id === fromId) ? fromId : (elements[0]?.id ?? '');
  const to = elements.some((e) => e.id === toId) ? toId : (elements[1]?.id ?? '');
  const submit = async () => {
    if (await onAdd({ fromId: from, toId: to, name: name.trim(), protocol: protocol.trim(), ...flags })) {
      setName('');
      setProtocol('');
    }
  };
  return (
    <Card withBorder p="sm">
      <Stack gap="xs">
        <Group grow>
          <NativeSelect
            size="xs"
            label={t('products.flowFrom')}
            value={from}
            onChange={(e) => setFromId(e.currentTarget.value)}
            data={options}
            data-testid="flow-from"
          />
          <NativeSelect
            size="xs"
            label={t('products.flowTo')}
            value={to}
            onChange={(e) => setToId(e.currentTarget.value)}
            data={options}
            data-testid="flow-to"
          />
        </Group>
        <Group grow>
          <TextInput
            size="xs"
            label={t('common.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="flow-name"
          />
          <TextInput
            size="xs"
            label={t('products.protocol')}
            value={protocol}
            onChange={(e) => setProtocol(e.currentTarget.value)}
          />
        </Group>
        <Group justify="space-between">
          <Group gap="sm">
            {(['encrypted', 'personalData', 'crossesTrustBoundary'] as const).map((k) => (
              <Checkbox
                key={k}
                size="xs"
                label={t(`products.flow_${k}`)}
                checked={flags[k]}
                onChange={(e) => setFlags({ ...flags, [k]: e.currentTarget.checked })}
              />
            ))}
          </Group>
          <Button
            size="xs"
            disabled={!name.trim() || from === to}
            onClick={() => void submit()}
            data-testid="flow-add"
          >
            {t('products.addFlow')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
};

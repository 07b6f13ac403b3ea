import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { get, post, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDate } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import {
  ATTACHMENT1_TEMPLATE,
  type ControlledDocument,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  type DocumentStatus,
  STATUS_COLOR,
} from './documents-api.ts';

export const DocStatusBadge = ({ status, testId }: { status: DocumentStatus; testId?: string }) => {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} data-testid={testId} data-status={status}>
      {t(`documents.status_${status}`)}
    </Badge>
  );
};

/** The document register: numbered controlled documents with revision, status and retention end. */
export const DocumentsPage = () => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const write = can('documents:write');
  const [status, setStatus] = useState('');
  const [type, setType] = useState('');
  const [creating, setCreating] = useState(false);
  const [result, setResult] = useState<{ created: number; skipped: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const docs = useLoad(
    () => get<{ items: ControlledDocument[] }>(`/api/v1/documents${query({ status, type })}`),
    [status, type],
  );
  const fromTemplate = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const res = await post<{ created: ControlledDocument[]; skipped: string[] }>(
        '/api/v1/documents/from-template',
        { templateKey: ATTACHMENT1_TEMPLATE },
      );
      setResult({ created: res.created.length, skipped: res.skipped.length });
      docs.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page
      title={t('documents.title')}
      help={t('documents.help')}
      actions={
        write && (
          <Group>
            <Button
              variant="default"
              loading={busy}
              onClick={() => void fromTemplate()}
              data-testid="documents-from-template"
            >
              {t('documents.fromTemplate')}
            </Button>
            <Button onClick={() => setCreating(true)} data-testid="document-new">
              {t('documents.new')}
            </Button>
          </Group>
        )
      }
    >
      {result && (
        <Alert
          color="teal"
          withCloseButton
          onClose={() => setResult(null)}
          data-testid="documents-template-result"
        >
          {t('documents.templateResult', result)}
        </Alert>
      )}
      <Group>
        <NativeSelect
          label={t('common.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[
            { value: '', label: t('common.all') },
            ...DOCUMENT_STATUSES.map((s) => ({ value: s, label: t(`documents.status_${s}`) })),
          ]}
          data-testid="documents-filter-status"
        />
        <NativeSelect
          label={t('documents.type')}
          value={type}
          onChange={(e) => setType(e.currentTarget.value)}
          data={[
            { value: '', label: t('common.all') },
            ...DOCUMENT_TYPES.map((d) => ({ value: d, label: t(`catalog.doctype_${d}`) })),
          ]}
        />
      </Group>
      <ErrorAlert error={error ?? docs.error} />
      <Table withTableBorder highlightOnHover data-testid="documents-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('documents.number')}</Table.Th>
            <Table.Th>{t('documents.docTitle')}</Table.Th>
            <Table.Th>{t('documents.type')}</Table.Th>
            <Table.Th>{t('documents.revision')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th>{t('documents.retentionEnd')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {docs.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text size="sm" c="dimmed">
                  {t('documents.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {docs.data?.items.map((d) => (
            <Table.Tr key={d.id} data-testid={`document-row-${d.number}`}>
              <Table.Td>
                <Anchor component={Link} to={`/documents/${d.id}`} data-testid={`document-open-${d.number}`}>
                  <Code>{d.number}</Code>
                </Anchor>
              </Table.Td>
              <Table.Td>{d.title}</Table.Td>
              <Table.Td>{t(`catalog.doctype_${d.type}`)}</Table.Td>
              <Table.Td>Rev.{d.revision}</Table.Td>
              <Table.Td>
                <DocStatusBadge status={d.status} testId={`document-status-${d.number}`} />
              </Table.Td>
              <Table.Td>
                {d.retentionEnd ? (
                  formatDate(d.retentionEnd, i18n.language)
                ) : (
                  <Text size="xs" c="dimmed">
                    {t('documents.retentionUnknown')}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <CreateDocumentModal opened={creating} onClose={() => setCreating(false)} />
    </Page>
  );
};

const CreateDocumentModal = ({ opened, onClose }: { opened: boolean; onClose: () => void }) => {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form, setForm] = useState({
    number: '',
    title: '',
    type: 'procedure',
    retentionYears: 5,
    retentionAfterMarketYears: 2,
    manufacturedOn: '',
    marketingEndedOn: '',
  });
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setError(null);
    try {
      const doc = await post<ControlledDocument>('/api/v1/documents', {
        number: form.number.trim(),
        title: form.title.trim(),
        type: form.type,
        retentionYears: form.retentionYears,
        retentionAfterMarketYears: form.retentionAfterMarketYears,
        manufacturedOn: form.manufacturedOn || null,
        marketingEndedOn: form.marketingEndedOn || null,
      });
      onClose();
      void navigate(`/documents/${doc.id}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('documents.new')} size="lg">
      <Stack>
        <SimpleGrid cols={2}>
          <TextInput
            required
            label={t('documents.number')}
            placeholder="QP-SEC-010"
            value={form.number}
            onChange={(e) => setForm({ ...form, number: e.currentTarget.value })}
            data-testid="document-number"
          />
          <NativeSelect
            label={t('documents.type')}
            value={form.type}
            onChange={(e) => setForm({ ...form, type: e.currentTarget.value })}
            data={DOCUMENT_TYPES.map((d) => ({ value: d, label: t(`catalog.doctype_${d}`) }))}
          />
        </SimpleGrid>
        <TextInput
          required
          label={t('documents.docTitle')}
          value={form.title}
          onChange={(e) => setForm({ ...form, title: e.currentTarget.value })}
          data-testid="document-title"
        />
        <SimpleGrid cols={2}>
          <NumberInput
            label={t('documents.retentionYears')}
            min={5}
            max={100}
            value={form.retentionYears}
            onChange={(v) => setForm({ ...form, retentionYears: Number(v) || 5 })}
          />
          <NumberInput
            label={t('documents.retentionAfterMarketYears')}
            min={2}
            max={100}
            value={form.retentionAfterMarketYears}
            onChange={(v) => setForm({ ...form, retentionAfterMarketYears: Number(v) || 2 })}
          />
          <TextInput
            type="date"
            label={t('documents.manufacturedOn')}
            value={form.manufacturedOn}
            onChange={(e) => setForm({ ...form, manufacturedOn: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('documents.marketingEndedOn')}
            value={form.marketingEndedOn}
            onChange={(e) => setForm({ ...form, marketingEndedOn: e.currentTarget.value })}
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('documents.retentionHelp')}
        </Text>
        <ErrorAlert error={error} />
        <Button
          disabled={!form.number.trim() || !form.title.trim()}
          onClick={() => void submit()}
          data-testid="document-create"
        >
          {t('common.create')}
        </Button>
      </Stack>
    </Modal>
  );
};

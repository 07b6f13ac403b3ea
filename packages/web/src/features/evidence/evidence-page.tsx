import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, post, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDate } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { type Evidence, isSoon, SOON_DAYS } from './evidence-api.ts';
import { FileField, formatBytes } from './file-field.tsx';
import { useUpload } from './upload.ts';

/** A SHA-256 shortened to its first 12 hex digits, with the full value in a tooltip and a copy button. */
export const ShortHash = ({ value }: { value: string | null }) => {
  const { t } = useTranslation();
  if (!value) {
    return <Text size="xs">—</Text>;
  }
  return (
    <Group gap={2} wrap="nowrap">
      <Tooltip label={value}>
        <Code>{value.slice(0, 12)}…</Code>
      </Tooltip>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <ActionIcon size="xs" variant="subtle" onClick={copy} aria-label={t('common.copy')}>
            {copied ? '✓' : '⧉'}
          </ActionIcon>
        )}
      </CopyButton>
    </Group>
  );
};

const DateCell = ({ date }: { date: string | null }) => {
  const { t, i18n } = useTranslation();
  if (!date) {
    return <>—</>;
  }
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="sm">{formatDate(date, i18n.language)}</Text>
      {isSoon(date) && (
        <Badge color="orange" size="xs">
          {t('evidence.soon')}
        </Badge>
      )}
    </Group>
  );
};

/** The evidence library: files and links with their hash, version, review and expiry dates, and linked items. */
export const EvidencePage = () => {
  const { t } = useTranslation();
  const { can } = useSession();
  const write = can('evidence:write');
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  const [expiring, setExpiring] = useState(false);
  const [uploadOpen, setUploadOpen] = useState(false);
  const [linkOpen, setLinkOpen] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(timer);
  }, [q]);
  const list = useLoad(
    () =>
      get<{ items: Evidence[] }>(
        `/api/v1/evidence${query({ q: debounced, expiringWithinDays: expiring ? SOON_DAYS : undefined })}`,
      ),
    [debounced, expiring],
  );
  return (
    <Page
      title={t('evidence.title')}
      help={t('evidence.help')}
      actions={
        write && (
          <Group>
            <Button variant="default" onClick={() => setLinkOpen(true)} data-testid="evidence-link-open">
              {t('evidence.addLink')}
            </Button>
            <Button onClick={() => setUploadOpen(true)} data-testid="evidence-upload-open">
              {t('evidence.upload')}
            </Button>
          </Group>
        )
      }
    >
      <Group>
        <TextInput
          placeholder={t('evidence.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-testid="evidence-search"
        />
        <Checkbox
          label={t('evidence.expiringSoon', { days: SOON_DAYS })}
          checked={expiring}
          onChange={(e) => setExpiring(e.currentTarget.checked)}
          data-testid="evidence-expiring"
        />
      </Group>
      <ErrorAlert error={list.error} />
      <ScrollArea>
        <Table withTableBorder highlightOnHover fz="sm" miw={1000} data-testid="evidence-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('evidence.titleLabel')}</Table.Th>
              <Table.Th>{t('evidence.kind')}</Table.Th>
              <Table.Th>{t('evidence.fileName')}</Table.Th>
              <Table.Th>{t('evidence.size')}</Table.Th>
              <Table.Th>SHA-256</Table.Th>
              <Table.Th>{t('evidence.version')}</Table.Th>
              <Table.Th>{t('evidence.linkedItems')}</Table.Th>
              <Table.Th>{t('evidence.reviewDate')}</Table.Th>
              <Table.Th>{t('evidence.expiresAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={9}>
                  <Text size="sm" c="dimmed">
                    {t('evidence.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {list.data?.items.map((e) => (
              <Table.Tr key={e.id} data-testid={`evidence-row-${e.title}`}>
                <Table.Td>
                  <Anchor component={Link} to={`/evidence/${e.id}`} fw={600} size="sm">
                    {e.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={e.kind === 'file' ? 'teal' : 'indigo'}>
                    {t(`evidence.kind_${e.kind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" truncate maw={220}>
                    {e.current?.fileName ?? e.current?.url ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>{formatBytes(e.current?.size)}</Table.Td>
                <Table.Td>
                  <ShortHash value={e.current?.sha256 ?? e.current?.capturedSha256 ?? null} />
                </Table.Td>
                <Table.Td>v{e.currentVersion}</Table.Td>
                <Table.Td>{e.linkedItems}</Table.Td>
                <Table.Td>
                  <DateCell date={e.reviewDate} />
                </Table.Td>
                <Table.Td>
                  <DateCell date={e.expiresAt} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <UploadModal
        opened={uploadOpen}
        onClose={(done) => {
          setUploadOpen(false);
          if (done) {
            list.reload();
          }
        }}
      />
      <LinkModal
        opened={linkOpen}
        onClose={(done) => {
          setLinkOpen(false);
          if (done) {
            list.reload();
          }
        }}
      />
    </Page>
  );
};

interface Meta {
  title: string;
  description: string;
  reviewDate: string;
  expiresAt: string;
}
const emptyMeta = (): Meta => ({ title: '', description: '', reviewDate: '', expiresAt: '' });

const MetaFields = ({ value, onChange }: { value: Meta; onChange: (m: Meta) => void }) => {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        label={t('evidence.titleLabel')}
        value={value.title}
        onChange={(e) => onChange({ ...value, title: e.currentTarget.value })}
        data-testid="evidence-title"
      />
      <Textarea
        label={t('evidence.description')}
        autosize
        minRows={2}
        value={value.description}
        onChange={(e) => onChange({ ...value, description: e.currentTarget.value })}
      />
      <SimpleGrid cols={2}>
        <TextInput
          type="date"
          label={t('evidence.reviewDate')}
          value={value.reviewDate}
          onChange={(e) => onChange({ ...value, reviewDate: e.currentTarget.value })}
          data-testid="evidence-review-date"
        />
        <TextInput
          type="date"
          label={t('evidence.expiresAt')}
          value={value.expiresAt}
          onChange={(e) => onChange({ ...value, expiresAt: e.currentTarget.value })}
          data-testid="evidence-expires"
        />
      </SimpleGrid>
    </>
  );
};

/** Upload a file as evidence; the server checks what it really is and its refusal is shown as it says it. */
const UploadModal = ({ opened, onClose }: { opened: boolean; onClose: (done: boolean) => void }) => {
  const { t } = useTranslation();
  const upload = useUpload();
  const [file, setFile] = useState<File | null>(null);
  const [meta, setMeta] = useState<Meta>(emptyMeta);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const close = (done: boolean) => {
    setFile(null);
    setMeta(emptyMeta());
    setError(null);
    onClose(done);
  };
  const submit = async () => {
    if (!file) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await upload<Evidence>(
        'POST',
        '/api/v1/evidence',
        { ...meta, title: meta.title.trim() || file.name },
        file,
      );
      close(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={() => close(false)} title={t('evidence.upload')} size="lg">
      <Stack>
        <FileField label={t('evidence.file')} file={file} onChange={setFile} testId="evidence-file" />
        <MetaFields value={meta} onChange={setMeta} />
        <ErrorAlert error={error} />
        <Button
          disabled={!file}
          loading={busy}
          onClick={() => void submit()}
          data-testid="evidence-upload-submit"
        >
          {t('evidence.upload')}
        </Button>
      </Stack>
    </Modal>
  );
};

/** Record a URL as evidence (e.g. a certificate in a registry), optionally with the SHA-256 of what it showed. */
const LinkModal = ({ opened, onClose }: { opened: boolean; onClose: (done: boolean) => void }) => {
  const { t } = useTranslation();
  const [url, setUrl] = useState('');
  const [hash, setHash] = useState('');
  const [meta, setMeta] = useState<Meta>(emptyMeta);
  const [error, setError] = useState<unknown>(null);
  const close = (done: boolean) => {
    setUrl('');
    setHash('');
    setMeta(emptyMeta());
    setError(null);
    onClose(done);
  };
  const submit = async () => {
    setError(null);
    try {
      await post('/api/v1/evidence/links', {
        title: meta.title.trim() || url,
        description: meta.description,
        reviewDate: meta.reviewDate || null,
        expiresAt: meta.expiresAt || null,
        url: url.trim(),
        capturedSha256: hash.trim().toLowerCase() || null,
      });
      close(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal opened={opened} onClose={() => close(false)} title={t('evidence.addLink')} size="lg">
      <Stack>
        <TextInput
          required
          label="URL"
          placeholder="https://"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          data-testid="evidence-url"
        />
        <MetaFields value={meta} onChange={setMeta} />
        <TextInput
          label={t('evidence.capturedSha256')}
          value={hash}
          onChange={(e) => setHash(e.currentTarget.value)}
        />
        <ErrorAlert error={error} />
        <Button disabled={!url.trim()} onClick={() => void submit()} data-testid="evidence-link-submit">
          {t('evidence.addLink')}
        </Button>
      </Stack>
    </Modal>
  );
};

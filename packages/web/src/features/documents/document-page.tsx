import {
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { del, get, post } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDate } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { FileField } from '../evidence/file-field.tsx';
import { useUpload } from '../evidence/upload.ts';
import { RetentionModal, RevisionCard, SignModal } from './document-parts.tsx';
import {
  type ControlledDocument,
  type DocumentDetail,
  MEANING_PERMISSION,
  MEANINGS,
  type Meaning,
} from './documents-api.ts';
import { DocStatusBadge } from './documents-page.tsx';

/**
 * One controlled document: revisions with their files and signatures (each verified by the server: valid or the
 * problem), file upload, 작성/검토/승인 signatures by permission (the server asks for re-authentication; the shell's
 * re-auth dialog answers and the request is retried), withdraw, obsolete, retention and destruction.
 */
export const DocumentPage = () => {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useSession();
  const navigate = useNavigate();
  const upload = useUpload();
  const doc = useLoad(() => get<DocumentDetail>(`/api/v1/documents/${id}`), [id]);
  const [file, setFile] = useState<File | null>(null);
  const [summary, setSummary] = useState('');
  const [signing, setSigning] = useState<Meaning | null>(null);
  const [confirmDestroy, setConfirmDestroy] = useState(false);
  const [retentionOpen, setRetentionOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const d = doc.data;
  if (!d) {
    return doc.error ? <ErrorAlert error={doc.error} /> : <Loader />;
  }
  const write = can('documents:write');
  const current = d.revisions.find((r) => r.revision === d.revision);
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      doc.reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const uploadFile = async () => {
    if (!file) {
      return;
    }
    if (
      await run(() =>
        upload<ControlledDocument>('PUT', `/api/v1/documents/${d.id}/file`, { changeSummary: summary }, file),
      )
    ) {
      setFile(null);
      setSummary('');
    }
  };
  const canSign = (m: Meaning): boolean =>
    m === 'author' ? d.status === 'draft' && Boolean(current?.sha256) : d.status === 'in-review';
  const signable = MEANINGS.filter((m) => can(MEANING_PERMISSION[m]));
  return (
    <Page
      title={`${d.number} ${d.title}`}
      help={`${t(`catalog.doctype_${d.type}`)} · Rev.${d.revision}`}
      actions={
        <Group>
          <Anchor component={Link} to="/documents" size="sm">
            ← {t('documents.title')}
          </Anchor>
          <DocStatusBadge status={d.status} testId="document-status" />
        </Group>
      }
    >
      <ErrorAlert error={error} />
      <Card withBorder data-testid="document-detail">
        <Stack gap="sm">
          <Group justify="space-between" align="flex-start">
            <SimpleGrid cols={{ base: 2, md: 4 }} spacing="lg">
              <Fact
                label={t('documents.manufacturedOn')}
                value={formatDate(d.manufacturedOn, i18n.language)}
              />
              <Fact
                label={t('documents.marketingEndedOn')}
                value={formatDate(d.marketingEndedOn, i18n.language)}
              />
              <Fact
                label={t('documents.retentionRule')}
                value={t('documents.retentionRuleValue', {
                  years: d.retentionYears,
                  after: d.retentionAfterMarketYears,
                })}
              />
              <Fact
                label={t('documents.retentionEnd')}
                value={
                  d.retentionEnd ? formatDate(d.retentionEnd, i18n.language) : t('documents.retentionUnknown')
                }
                testId="document-retention-end"
              />
            </SimpleGrid>
            {write && d.status !== 'destroyed' && (
              <Button
                size="xs"
                variant="light"
                onClick={() => setRetentionOpen(true)}
                data-testid="document-retention"
              >
                {t('documents.editRetention')}
              </Button>
            )}
          </Group>
          <Group>
            {signable.map((m) => (
              <Button
                key={m}
                disabled={!canSign(m) || busy}
                onClick={() => setSigning(m)}
                data-testid={`sign-${m}`}
              >
                {t(`documents.signAs_${m}`)}
              </Button>
            ))}
            {write && d.status === 'in-review' && (
              <Button
                variant="default"
                disabled={busy}
                onClick={() => void run(() => post(`/api/v1/documents/${d.id}/withdraw`))}
                data-testid="document-withdraw"
              >
                {t('documents.withdraw')}
              </Button>
            )}
            {write && d.status !== 'obsolete' && d.status !== 'destroyed' && (
              <Button
                variant="default"
                color="orange"
                disabled={busy}
                onClick={() => void run(() => post(`/api/v1/documents/${d.id}/obsolete`))}
                data-testid="document-obsolete"
              >
                {t('documents.obsolete')}
              </Button>
            )}
            {write && d.status === 'obsolete' && (
              <Button
                color="red"
                variant="light"
                onClick={() => setConfirmDestroy(true)}
                data-testid="document-destroy"
              >
                {t('documents.destroy')}
              </Button>
            )}
          </Group>
          {signable.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('documents.cannotSign')}
            </Text>
          )}
        </Stack>
      </Card>
      {write && (d.status === 'draft' || d.status === 'approved') && (
        <Card withBorder>
          <Stack gap="xs">
            <Title order={5}>
              {d.status === 'approved' ? t('documents.newRevision') : t('documents.uploadFile')}
            </Title>
            <FileField label={t('documents.file')} file={file} onChange={setFile} testId="document-file" />
            <TextInput
              label={t('documents.changeSummary')}
              value={summary}
              onChange={(e) => setSummary(e.currentTarget.value)}
              data-testid="document-change-summary"
            />
            <Group>
              <Button
                disabled={!file}
                loading={busy}
                onClick={() => void uploadFile()}
                data-testid="document-upload-submit"
              >
                {t('documents.upload')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      <Title order={4}>{t('documents.revisions')}</Title>
      <Stack data-testid="document-revisions">
        {d.revisions.map((r) => (
          <RevisionCard key={r.revision} documentId={d.id} revision={r} current={r.revision === d.revision} />
        ))}
      </Stack>
      <SignModal
        meaning={signing}
        onClose={() => setSigning(null)}
        onSign={(m, comment) => {
          // close first: the server asks for re-authentication, and that dialog must be the only one open
          setSigning(null);
          void run(() => post(`/api/v1/documents/${d.id}/sign`, { meaning: m, comment }));
        }}
      />
      <Modal opened={confirmDestroy} onClose={() => setConfirmDestroy(false)} title={t('documents.destroy')}>
        <Stack>
          <Text size="sm">{t('documents.destroyHelp')}</Text>
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDestroy(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={busy}
              onClick={() =>
                void run(() => del(`/api/v1/documents/${d.id}`)).then((ok) => {
                  if (ok) {
                    setConfirmDestroy(false);
                    void navigate('/documents');
                  }
                })
              }
              data-testid="document-destroy-confirm"
            >
              {t('documents.destroy')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <RetentionModal
        key={d.updatedAt}
        opened={retentionOpen}
        doc={d}
        onClose={(saved) => {
          setRetentionOpen(false);
          if (saved) {
            doc.reload();
          }
        }}
      />
    </Page>
  );
};

const Fact = ({ label, value, testId }: { label: string; value: string; testId?: string }) => (
  <div>
    <Text size="xs" c="dimmed">
      {label}
    </Text>
    <Text size="sm" data-testid={testId}>
      {value}
    </Text>
  </div>
);

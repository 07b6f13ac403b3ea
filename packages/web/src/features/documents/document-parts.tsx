import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { patch } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { ShortHash } from '../evidence/evidence-page.tsx';
import { formatBytes } from '../evidence/file-field.tsx';
import type { DocumentDetail, Meaning, Revision } from './documents-api.ts';

/** Parts of the document page: a revision with its verified signatures, the sign dialog, the retention dialog. */

export const RevisionCard = ({
  documentId,
  revision: r,
  current,
}: {
  documentId: string;
  revision: Revision;
  current: boolean;
}) => {
  const { t, i18n } = useTranslation();
  return (
    <Card withBorder data-testid={`revision-${r.revision}`} bg={current ? undefined : 'gray.0'}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={700}>Rev.{r.revision}</Text>
            <Badge variant="light">{t(`documents.revStatus_${r.status}`, { defaultValue: r.status })}</Badge>
            {r.approvedAt && (
              <Text size="xs" c="dimmed">
                {t('documents.approvedAt', { at: formatDateTime(r.approvedAt, i18n.language) })}
              </Text>
            )}
          </Group>
          {r.sha256 && (
            <Button
              size="compact-xs"
              variant="light"
              component="a"
              href={`/api/v1/documents/${documentId}/revisions/${r.revision}/download`}
              download
              data-testid={`revision-download-${r.revision}`}
            >
              {t('common.download')}
            </Button>
          )}
        </Group>
        {r.fileName ? (
          <Group gap="md">
            <Text size="sm">{r.fileName}</Text>
            <Text size="xs" c="dimmed">
              {formatBytes(r.size)}
            </Text>
            <ShortHash value={r.sha256} />
            {r.changeSummary && <Text size="xs">{r.changeSummary}</Text>}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('documents.noFile')}
          </Text>
        )}
        {r.signatures.length > 0 && (
          <Table fz="sm" verticalSpacing={4} data-testid={`signatures-${r.revision}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('documents.meaning')}</Table.Th>
                <Table.Th>{t('documents.signer')}</Table.Th>
                <Table.Th>{t('documents.signedAt')}</Table.Th>
                <Table.Th>{t('documents.signedHash')}</Table.Th>
                <Table.Th>{t('documents.validity')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.signatures.map((s) => (
                <Table.Tr
                  key={`${s.meaning}-${s.signerId}-${s.signedAt}`}
                  data-testid={`signature-${r.revision}-${s.meaning}`}
                  data-valid={s.valid ? 'true' : 'false'}
                >
                  <Table.Td>{t(`documents.meaning_${s.meaning}`)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{s.signerName}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`roles.${s.signerRole}`, { defaultValue: s.signerRole })}
                      {s.comment ? ` · ${s.comment}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDateTime(s.signedAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <ShortHash value={s.documentSha256} />
                  </Table.Td>
                  <Table.Td>
                    {s.valid ? (
                      <Badge color="teal" variant="light">
                        ✓ {t('documents.valid')}
                      </Badge>
                    ) : (
                      <Tooltip label={s.problem ?? ''}>
                        <Badge color="red">✗ {t('documents.invalid')}</Badge>
                      </Tooltip>
                    )}
                    {s.problem && (
                      <Text size="xs" c="red">
                        {s.problem}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
};

export const SignModal = ({
  meaning,
  onClose,
  onSign,
}: {
  meaning: Meaning | null;
  onClose: () => void;
  onSign: (m: Meaning, comment: string) => void;
}) => {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  return (
    <Modal
      opened={meaning !== null}
      onClose={() => {
        setComment('');
        onClose();
      }}
      title={meaning ? t(`documents.signAs_${meaning}`) : ''}
    >
      {meaning && (
        <Stack>
          <Alert color="blue" variant="light">
            {t('documents.signHelp', { meaning: t(`documents.meaning_${meaning}`) })}
          </Alert>
          <Textarea
            label={t('documents.comment')}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            data-testid="sign-comment"
          />
          <Button
            onClick={() => {
              onSign(meaning, comment);
              setComment('');
            }}
            data-testid="sign-submit"
          >
            {t('documents.sign')}
          </Button>
        </Stack>
      )}
    </Modal>
  );
};

export const RetentionModal = ({
  opened,
  doc,
  onClose,
}: {
  opened: boolean;
  doc: DocumentDetail;
  onClose: (saved: boolean) => void;
}) => {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    manufacturedOn: doc.manufacturedOn ?? '',
    marketingEndedOn: doc.marketingEndedOn ?? '',
    retentionYears: doc.retentionYears,
    retentionAfterMarketYears: doc.retentionAfterMarketYears,
  });
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setError(null);
    try {
      await patch(`/api/v1/documents/${doc.id}/retention`, {
        manufacturedOn: form.manufacturedOn || null,
        marketingEndedOn: form.marketingEndedOn || null,
        retentionYears: form.retentionYears,
        retentionAfterMarketYears: form.retentionAfterMarketYears,
      });
      onClose(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal opened={opened} onClose={() => onClose(false)} title={t('documents.editRetention')}>
      <Stack>
        <SimpleGrid cols={2}>
          <TextInput
            type="date"
            label={t('documents.manufacturedOn')}
            value={form.manufacturedOn}
            onChange={(e) => setForm({ ...form, manufacturedOn: e.currentTarget.value })}
            data-testid="retention-manufactured"
          />
          <TextInput
            type="date"
            label={t('documents.marketingEndedOn')}
            value={form.marketingEndedOn}
            onChange={(e) => setForm({ ...form, marketingEndedOn: e.currentTarget.value })}
            data-testid="retention-marketing-ended"
          />
          <NumberInput
            label={t('documents.retentionYears')}
            min={5}
            value={form.retentionYears}
            onChange={(v) => setForm({ ...form, retentionYears: Number(v) || 5 })}
          />
          <NumberInput
            label={t('documents.retentionAfterMarketYears')}
            min={2}
            value={form.retentionAfterMarketYears}
            onChange={(v) => setForm({ ...form, retentionAfterMarketYears: Number(v) || 2 })}
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('documents.retentionHelp')}
        </Text>
        <ErrorAlert error={error} />
        <Button onClick={() => void submit()} data-testid="retention-save">
          {t('common.save')}
        </Button>
      </Stack>
    </Modal>
  );
};

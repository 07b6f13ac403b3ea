import { Anchor, Badge, Button, Card, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { get } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDate, formatDateTime } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { refLabel } from '../compliance/labels.tsx';
import type { Evidence, EvidenceDetail } from './evidence-api.ts';
import { ShortHash } from './evidence-page.tsx';
import { FileField, formatBytes } from './file-field.tsx';
import { useUpload } from './upload.ts';

/** One piece of evidence: its versions (download each), a new version upload, and the items it proves. */
export const EvidenceDetailPage = () => {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { can } = useSession();
  const upload = useUpload();
  const detail = useLoad(() => get<EvidenceDetail>(`/api/v1/evidence/${id}`), [id]);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const e = detail.data;
  if (!e) {
    return detail.error ? <ErrorAlert error={detail.error} /> : <Loader />;
  }
  const addVersion = async () => {
    if (!file) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await upload<Evidence>('POST', `/api/v1/evidence/${e.id}/versions`, {}, file);
      setFile(null);
      detail.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Page
      title={e.title}
      help={e.description}
      actions={
        <Anchor component={Link} to="/evidence" size="sm">
          ← {t('evidence.title')}
        </Anchor>
      }
    >
      <Card withBorder data-testid="evidence-detail">
        <Group gap="xl">
          <Badge variant="light">{t(`evidence.kind_${e.kind}`)}</Badge>
          <Text size="sm">
            {t('evidence.version')}: v{e.currentVersion}
          </Text>
          <Text size="sm">
            {t('evidence.reviewDate')}: {formatDate(e.reviewDate, i18n.language)}
          </Text>
          <Text size="sm">
            {t('evidence.expiresAt')}: {formatDate(e.expiresAt, i18n.language)}
          </Text>
        </Group>
      </Card>
      <Title order={4}>{t('evidence.versions')}</Title>
      <Table withTableBorder fz="sm" data-testid="evidence-versions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('evidence.version')}</Table.Th>
            <Table.Th>{t('evidence.fileName')}</Table.Th>
            <Table.Th>{t('evidence.size')}</Table.Th>
            <Table.Th>SHA-256</Table.Th>
            <Table.Th>{t('common.created')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {e.versions.map((v) => (
            <Table.Tr key={v.version}>
              <Table.Td>v{v.version}</Table.Td>
              <Table.Td>
                {v.url ? (
                  <Anchor href={v.url} target="_blank" rel="noopener noreferrer" size="sm">
                    {v.url}
                  </Anchor>
                ) : (
                  <>
                    {v.fileName}{' '}
                    <Text span size="xs" c="dimmed">
                      {v.mediaType}
                    </Text>
                  </>
                )}
              </Table.Td>
              <Table.Td>{formatBytes(v.size)}</Table.Td>
              <Table.Td>
                <ShortHash value={v.sha256 ?? v.capturedSha256} />
              </Table.Td>
              <Table.Td>{formatDateTime(v.createdAt, i18n.language)}</Table.Td>
              <Table.Td>
                {v.sha256 && (
                  <Button
                    size="compact-xs"
                    variant="light"
                    component="a"
                    href={`/api/v1/evidence/${e.id}/versions/${v.version}/download`}
                    download
                    data-testid={`evidence-download-${v.version}`}
                  >
                    {t('common.download')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {e.kind === 'file' && can('evidence:write') && (
        <Card withBorder>
          <Stack gap="xs">
            <FileField
              label={t('evidence.newVersion')}
              file={file}
              onChange={setFile}
              testId="evidence-version-file"
            />
            <ErrorAlert error={error} />
            <Group>
              <Button
                disabled={!file}
                loading={busy}
                onClick={() => void addVersion()}
                data-testid="evidence-version-submit"
              >
                {t('evidence.uploadVersion')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      <Title order={4}>{t('evidence.linkedItems')}</Title>
      {e.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('evidence.notLinked')}
        </Text>
      ) : (
        <Table withTableBorder fz="sm" data-testid="evidence-items">
          <Table.Tbody>
            {e.items.map((i) => (
              <Table.Tr key={i.itemId}>
                <Table.Td>{i.product}</Table.Td>
                <Table.Td>{i.release}</Table.Td>
                <Table.Td>
                  <Code>{refLabel(i.ref, t)}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Page>
  );
};

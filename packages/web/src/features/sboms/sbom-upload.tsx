import { Button, Card, Checkbox, Group, Stack, Text, Title } from '@mantine/core';
import type { Job } from '@medsec/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useUpload } from '../evidence/upload.ts';
import { FileInput } from './file-input.tsx';
import { JobProgress, useJob } from './job-progress.tsx';
import type { SbomSummary } from './sboms-api.ts';

/**
 * Upload an SBOM for a release. The server finds the format from the content and checks it against the official
 * schema; its refusal (with the line or JSON pointer of the problem) is shown as it says it. Lenient mode imports
 * what is sound and lists what was dropped. Matching against the advisories then runs as a job, shown until it ends.
 */
export const SbomUpload = ({
  releaseId,
  onUploaded,
  onMatched,
}: {
  releaseId: string;
  onUploaded: (sbom: SbomSummary) => void;
  onMatched: (job: Job) => void;
}) => {
  const { t } = useTranslation();
  const upload = useUpload();
  const [file, setFile] = useState<File | null>(null);
  const [lenient, setLenient] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<SbomSummary | null>(null);
  const job = useJob(jobId, onMatched);
  const submit = async () => {
    if (!file) {
      return;
    }
    setBusy(true);
    setError(null);
    setJobId(null);
    setUploaded(null);
    try {
      // the field before the file: the server reads the fields that precede the file part
      const sbom = await upload<SbomSummary & { jobId: string }>(
        'POST',
        `/api/v1/releases/${releaseId}/sboms`,
        lenient ? { lenient: 'true' } : {},
        file,
      );
      setFile(null);
      setUploaded(sbom);
      setJobId(sbom.jobId);
      onUploaded(sbom);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder data-testid="sbom-upload">
      <Stack gap="sm">
        <Title order={5}>{t('sboms.upload')}</Title>
        <Text size="xs" c="dimmed">
          {t('sboms.uploadHelp')}
        </Text>
        <Group align="flex-end" gap="lg">
          <FileInput
            label={t('sboms.file')}
            description={t('sboms.fileHelp')}
            file={file}
            onChange={setFile}
            testId="sbom-file"
            accept=".json,.xml,.spdx,.txt,.yaml,.yml,.jsonld,application/json,text/xml"
          />
          <Checkbox
            label={t('sboms.lenient')}
            description={t('sboms.lenientHelp')}
            checked={lenient}
            onChange={(e) => setLenient(e.currentTarget.checked)}
            data-testid="sbom-lenient"
            maw={360}
          />
          <Button
            disabled={!file}
            loading={busy}
            onClick={() => void submit()}
            data-testid="sbom-upload-submit"
          >
            {t('sboms.uploadSubmit')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
        {uploaded && (
          <Text size="sm" data-testid="sbom-uploaded">
            {t('sboms.uploaded', {
              file: uploaded.fileName,
              count: uploaded.componentCount,
              issues: uploaded.issues.length,
            })}
          </Text>
        )}
        {jobId && (
          <Stack gap={2}>
            <Text size="xs" fw={600}>
              {t('sboms.matching')}
            </Text>
            <JobProgress job={job.job} error={job.error} testId="sbom-job" />
          </Stack>
        )}
      </Stack>
    </Card>
  );
};

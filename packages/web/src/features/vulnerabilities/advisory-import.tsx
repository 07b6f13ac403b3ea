import { Button, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import type { Job } from '@medsec/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useUpload } from '../evidence/upload.ts';
import { FileInput } from '../sboms/file-input.tsx';
import { JobProgress, useJob } from '../sboms/job-progress.tsx';
import { ADVISORY_SOURCES, type AdvisorySource } from './findings-api.ts';

/**
 * Import an advisory file offline (OSV JSON, an OSV zip or .jsonl.gz; the CISA KEV catalog; EPSS scores). The server
 * runs it as a job and re-matches the SBOMs it affects; the dialog shows the job's progress until it ends.
 */
export const AdvisoryImportModal = ({
  opened,
  onClose,
  onImported,
}: {
  opened: boolean;
  onClose: () => void;
  onImported: (job: Job) => void;
}) => {
  const { t } = useTranslation();
  const upload = useUpload();
  const [source, setSource] = useState<AdvisorySource>('osv');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId, onImported);
  const close = () => {
    setFile(null);
    setError(null);
    setJobId(null);
    onClose();
  };
  const submit = async () => {
    if (!file) {
      return;
    }
    setBusy(true);
    setError(null);
    setJobId(null);
    try {
      const res = await upload<{ jobId: string }>('POST', '/api/v1/advisories/import', { source }, file);
      setFile(null);
      setJobId(res.jobId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={t('findings.importTitle')} size="lg">
      <Stack data-testid="advisories-import">
        <Text size="sm" c="dimmed">
          {t('findings.importHelp')}
        </Text>
        <NativeSelect
          label={t('findings.importSource')}
          value={source}
          onChange={(e) => setSource(e.currentTarget.value as AdvisorySource)}
          data={ADVISORY_SOURCES.map((s) => ({ value: s, label: t(`findings.source_${s}`) }))}
          data-testid="advisories-source"
        />
        <FileInput
          label={t('findings.importFile')}
          description={t(`findings.sourceFiles_${source}`)}
          file={file}
          onChange={setFile}
          testId="advisories-file"
          accept=".json,.zip,.gz,.jsonl,.csv"
        />
        <ErrorAlert error={error} />
        {jobId && <JobProgress job={job.job} error={job.error} testId="advisories-import" />}
        <Button
          disabled={!file}
          loading={busy}
          onClick={() => void submit()}
          data-testid="advisories-import-submit"
        >
          {t('findings.importSubmit')}
        </Button>
      </Stack>
    </Modal>
  );
};

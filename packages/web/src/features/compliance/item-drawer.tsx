import {
  Alert,
  Anchor,
  Button,
  Card,
  Code,
  Divider,
  Drawer,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import type { AssessmentItem } from '@medsec/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { get, post, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { useLoad } from '../../ui/use-load.ts';
import type { Evidence } from '../evidence/evidence-api.ts';
import { FileField } from '../evidence/file-field.tsx';
import { useUpload } from '../evidence/upload.ts';
import { ITEM_STATUSES, METHODS, pick } from '../products/products-api.ts';
import { ownerOptions, useItemSaver, useMembers } from './item-editing.tsx';
import { ObligationTag, refLabel, StatusBadge } from './labels.tsx';

interface HistoryEntry {
  at: string;
  by: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
}

/**
 * One assessment item: the requirement text, the applicability reason, editable fields (with the version check),
 * its change history, and the evidence that proves it (attach from the library or upload a new file).
 */
export const ItemDrawer = ({
  releaseId,
  item,
  onClose,
  onChanged,
}: {
  releaseId: string;
  item: AssessmentItem | null;
  onClose: () => void;
  onChanged: () => void;
}) => {
  const { t } = useTranslation();
  return (
    <Drawer
      opened={item !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={item ? <Title order={4}>{refLabel(item.ref, t)}</Title> : null}
    >
      {item && <ItemDetail key={item.id} releaseId={releaseId} initial={item} onChanged={onChanged} />}
    </Drawer>
  );
};

const ItemDetail = ({
  releaseId,
  initial,
  onChanged,
}: {
  releaseId: string;
  initial: AssessmentItem;
  onChanged: () => void;
}) => {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { can } = useSession();
  const write = can('compliance:write');
  const [item, setItem] = useState(initial);
  const [notes, setNotes] = useState(initial.notes);
  const [historyTick, setHistoryTick] = useState(0);
  const members = useMembers();
  const saver = useItemSaver(
    (next) => {
      setItem(next);
      setNotes(next.notes);
      setHistoryTick((n) => n + 1);
      onChanged();
    },
    // someone else changed it: show their version (the list reloads too)
    () => {
      onChanged();
      void get<{ items: AssessmentItem[] }>(
        `/api/v1/releases/${releaseId}/assessment${query({ includeNotApplicable: 'true' })}`,
      ).then(
        (r) => {
          const fresh = r.items.find((i) => i.id === item.id);
          if (fresh) {
            setItem(fresh);
            setNotes(fresh.notes);
            setHistoryTick((n) => n + 1);
          }
        },
        () => undefined,
      );
    },
  );
  const history = useLoad(
    () => get<{ items: HistoryEntry[] }>(`/api/v1/assessment-items/${item.id}/history`),
    [item.id, historyTick],
  );
  return (
    <Stack data-testid="item-drawer">
      <Group gap="xs">
        <Code>{item.ref}</Code>
        <ObligationTag value={item.obligation} />
        <StatusBadge status={item.status} />
      </Group>
      {pick(lang, item.titleKo, item.titleEn) && (
        <Text fw={600}>{pick(lang, item.titleKo, item.titleEn)}</Text>
      )}
      <Text size="sm" lang="ko" style={{ whiteSpace: 'pre-wrap' }}>
        {item.textKo}
      </Text>
      {lang === 'en' && item.textEn && (
        <Text size="sm" c="dimmed">
          {item.textEn}
        </Text>
      )}
      {(item.reasonKo || item.reasonEn) && (
        <Text size="xs" c="dimmed">
          {t('products.reason')}: {lang === 'en' ? item.reasonEn : item.reasonKo}
        </Text>
      )}
      {saver.conflict && (
        <Alert color="orange" data-testid="drawer-conflict">
          {t('compliance.conflictDrawer')}
        </Alert>
      )}
      <ErrorAlert error={saver.error} />
      <SimpleGrid cols={2}>
        <NativeSelect
          label={t('common.status')}
          disabled={!write}
          value={item.status}
          data={ITEM_STATUSES.map((s) => ({ value: s, label: t(`compliance.status_${s}`) }))}
          onChange={(e) =>
            void saver.save(item, { status: e.currentTarget.value as AssessmentItem['status'] })
          }
          data-testid="drawer-status"
        />
        <NativeSelect
          label={t('compliance.method')}
          disabled={!write}
          value={item.method ?? ''}
          data={[
            { value: '', label: '—' },
            ...METHODS.map((m) => ({ value: m, label: t(`compliance.method_${m}`) })),
          ]}
          onChange={(e) =>
            void saver.save(item, { method: (e.currentTarget.value || null) as AssessmentItem['method'] })
          }
          data-testid="drawer-method"
        />
        <NativeSelect
          label={t('compliance.owner')}
          disabled={!write}
          value={item.ownerId ?? ''}
          data={ownerOptions(members, item)}
          onChange={(e) => void saver.save(item, { ownerId: e.currentTarget.value || null })}
        />
        <TextInput
          type="date"
          label={t('compliance.dueDate')}
          disabled={!write}
          value={item.dueDate ?? ''}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v)) {
              void saver.save(item, { dueDate: v || null });
            }
          }}
        />
      </SimpleGrid>
      <Textarea
        label={t('compliance.notes')}
        autosize
        minRows={2}
        disabled={!write}
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        data-testid="drawer-notes"
      />
      {write && notes !== item.notes && (
        <Group justify="flex-end">
          <Button size="xs" onClick={() => void saver.save(item, { notes })} data-testid="drawer-save-notes">
            {t('common.save')}
          </Button>
        </Group>
      )}
      <Divider />
      <EvidencePanel itemId={item.id} onChanged={onChanged} />
      <Divider />
      <Title order={5}>{t('compliance.history')}</Title>
      <ErrorAlert error={history.error} />
      {history.data?.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('compliance.noHistory')}
        </Text>
      )}
      <Timeline bulletSize={12} lineWidth={2} data-testid="item-history">
        {[...(history.data?.items ?? [])].reverse().map((h) => (
          <Timeline.Item key={`${h.at}-${JSON.stringify(h.changes)}`} title={formatDateTime(h.at, lang)}>
            <Text size="xs" c="dimmed">
              {h.by ?? '—'}
            </Text>
            {Object.entries(h.changes ?? {}).map(([field, c]) => (
              <Text size="xs" key={field}>
                {t(`compliance.field_${field}`, { defaultValue: field })}: {display(field, c.from, t)} →{' '}
                {display(field, c.to, t)}
              </Text>
            ))}
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
};

const display = (field: string, v: unknown, t: (k: string) => string): string => {
  if (v === null || v === undefined || v === '') {
    return '—';
  }
  if (field === 'status') {
    return t(`compliance.status_${String(v)}`);
  }
  if (field === 'method') {
    return t(`compliance.method_${String(v)}`);
  }
  return String(v);
};

/** Evidence linked to the item: list, detach, attach one from the library, or upload a new file and attach it. */
const EvidencePanel = ({ itemId, onChanged }: { itemId: string; onChanged: () => void }) => {
  const { t } = useTranslation();
  const { can } = useSession();
  const write = can('evidence:write');
  const upload = useUpload();
  const linked = useLoad(() => get<{ items: Evidence[] }>(`/api/v1/evidence${query({ itemId })}`), [itemId]);
  const library = useLoad(
    () => (write ? get<{ items: Evidence[] }>('/api/v1/evidence') : Promise.resolve({ items: [] })),
    [write, linked.data],
  );
  const [choice, setChoice] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const linkedIds = new Set((linked.data?.items ?? []).map((e) => e.id));
  const candidates = (library.data?.items ?? []).filter((e) => !linkedIds.has(e.id));
  useEffect(() => {
    if (file && !title) {
      setTitle(file.name.replace(/\.[^.]+$/, ''));
    }
  }, [file, title]);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      linked.reload();
      onChanged();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const attach = (id: string) => post(`/api/v1/evidence/${id}/attach`, { itemIds: [itemId] });
  const uploadNew = async () => {
    if (!file) {
      return;
    }
    const ok = await run(async () => {
      const created = await upload<Evidence>(
        'POST',
        '/api/v1/evidence',
        { title: title.trim() || file.name },
        file,
      );
      await attach(created.id);
    });
    if (ok) {
      setFile(null);
      setTitle('');
    }
  };
  return (
    <Stack gap="xs" data-testid="item-evidence">
      <Title order={5}>{t('compliance.evidence')}</Title>
      {linked.data?.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('compliance.noEvidence')}
        </Text>
      )}
      {linked.data?.items.map((e) => (
        <Group key={e.id} justify="space-between" wrap="nowrap" data-testid={`linked-evidence-${e.title}`}>
          <div>
            <Anchor component={Link} to={`/evidence/${e.id}`} size="sm" fw={600}>
              {e.title}
            </Anchor>
            <Text size="xs" c="dimmed">
              {e.current?.fileName ?? e.current?.url ?? ''} · v{e.currentVersion}
            </Text>
          </div>
          {write && (
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              onClick={() => void run(() => post(`/api/v1/evidence/${e.id}/detach`, { itemIds: [itemId] }))}
            >
              {t('compliance.detach')}
            </Button>
          )}
        </Group>
      ))}
      <ErrorAlert error={error ?? linked.error} />
      {write && (
        <Card withBorder p="sm">
          <Stack gap="xs">
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <NativeSelect
                style={{ flex: 1 }}
                label={t('compliance.attachFromLibrary')}
                value={choice}
                onChange={(e) => setChoice(e.currentTarget.value)}
                data={[
                  { value: '', label: candidates.length ? '—' : t('compliance.libraryEmpty') },
                  ...candidates.map((e) => ({ value: e.id, label: e.title })),
                ]}
                data-testid="evidence-attach-select"
              />
              <Button
                disabled={!choice}
                loading={busy}
                onClick={() => void run(() => attach(choice)).then((ok) => ok && setChoice(''))}
                data-testid="evidence-attach"
              >
                {t('compliance.attach')}
              </Button>
            </Group>
            <Divider label={t('compliance.orUpload')} labelPosition="center" />
            <FileField
              label={t('evidence.file')}
              file={file}
              onChange={setFile}
              testId="drawer-upload-file"
            />
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <TextInput
                style={{ flex: 1 }}
                label={t('evidence.titleLabel')}
                value={title}
                onChange={(e) => setTitle(e.currentTarget.value)}
                data-testid="drawer-upload-title"
              />
              <Button
                disabled={!file}
                loading={busy}
                onClick={() => void uploadNew()}
                data-testid="drawer-upload"
              >
                {t('compliance.uploadAndAttach')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
    </Stack>
  );
};

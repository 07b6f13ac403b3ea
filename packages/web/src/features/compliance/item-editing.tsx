import { Button, Card, Group, NativeSelect, Text, TextInput } from '@mantine/core';
import type { AssessmentItem } from '@medsec/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, patch, post, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { ITEM_STATUSES, METHODS } from '../products/products-api.ts';

/** Editing assessment items: one item with its version check, owner choices, and the bulk "set" bar. */
export interface Member {
  id: string;
  displayName: string;
}

type ItemPatch = Partial<Pick<AssessmentItem, 'status' | 'ownerId' | 'dueDate' | 'method' | 'notes'>>;

/**
 * Saves one item with the version the editor saw. On 409 (someone else changed it) the list is reloaded and the
 * user told so; the returned item replaces the row.
 */
export const useItemSaver = (onSaved: (item: AssessmentItem) => void, onConflict: () => void) => {
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState<string | null>(null);
  const save = async (item: AssessmentItem, change: ItemPatch): Promise<AssessmentItem | null> => {
    setError(null);
    setConflict(false);
    setSaving(item.id);
    try {
      const next = await patch<AssessmentItem>(`/api/v1/assessment-items/${item.id}`, {
        ...change,
        version: item.version,
      });
      onSaved(next);
      return next;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setConflict(true);
        onConflict();
      } else {
        setError(err);
      }
      return null;
    } finally {
      setSaving(null);
    }
  };
  return { save, error, conflict, saving, clearConflict: () => setConflict(false) };
};

/** Owner choices: the organization's members when the role may list them, else the current owner and oneself. */
export const useMembers = (): Member[] => {
  const { can, session } = useSession();
  const canList = can('users:read');
  const members = useLoad(
    () =>
      canList
        ? get<{ items: { id: string; displayName: string; status: string }[] }>(
            `/api/v1/users${query({ status: 'active', pageSize: 100 })}`,
          ).then((r) => r.items.map((m) => ({ id: m.id, displayName: m.displayName })))
        : Promise.resolve([] as Member[]),
    [canList],
  );
  const me = session ? [{ id: session.user.id, displayName: session.user.displayName }] : [];
  const list = members.data ?? [];
  return list.some((m) => m.id === session?.user.id) ? list : [...me, ...list];
};

export const ownerOptions = (
  members: Member[],
  item: { ownerId: string | null; ownerName: string | null },
) => {
  const list = [...members];
  if (item.ownerId && !list.some((m) => m.id === item.ownerId)) {
    list.push({ id: item.ownerId, displayName: item.ownerName ?? item.ownerId });
  }
  return [{ value: '', label: '—' }, ...list.map((m) => ({ value: m.id, label: m.displayName }))];
};

/** Sets the same fields on the selected items (all or nothing on the server). */
export const BulkBar = ({
  releaseId,
  ids,
  members,
  onDone,
}: {
  releaseId: string;
  ids: string[];
  members: Member[];
  onDone: () => void;
}) => {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [method, setMethod] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = {
    ...(status ? { status } : {}),
    ...(method ? { method } : {}),
    ...(owner ? { ownerId: owner } : {}),
    ...(due ? { dueDate: due } : {}),
  };
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      await post(`/api/v1/releases/${releaseId}/assessment/bulk`, { itemIds: ids, set });
      setStatus('');
      setMethod('');
      setOwner('');
      setDue('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const keep = { value: '', label: t('compliance.keep') };
  return (
    <Card withBorder bg="teal.0" p="sm" data-testid="bulk-bar">
      <Group align="flex-end" gap="sm">
        <Text size="sm" fw={600} data-testid="bulk-count">
          {t('compliance.selected', { count: ids.length })}
        </Text>
        <NativeSelect
          size="xs"
          label={t('common.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[keep, ...ITEM_STATUSES.map((s) => ({ value: s, label: t(`compliance.status_${s}`) }))]}
          data-testid="bulk-status"
        />
        <NativeSelect
          size="xs"
          label={t('compliance.method')}
          value={method}
          onChange={(e) => setMethod(e.currentTarget.value)}
          data={[keep, ...METHODS.map((m) => ({ value: m, label: t(`compliance.method_${m}`) }))]}
          data-testid="bulk-method"
        />
        <NativeSelect
          size="xs"
          label={t('compliance.owner')}
          value={owner}
          onChange={(e) => setOwner(e.currentTarget.value)}
          data={[keep, ...members.map((m) => ({ value: m.id, label: m.displayName }))]}
          data-testid="bulk-owner"
        />
        <TextInput
          size="xs"
          type="date"
          label={t('compliance.dueDate')}
          value={due}
          onChange={(e) => setDue(e.currentTarget.value)}
        />
        <Button
          size="xs"
          loading={busy}
          disabled={Object.keys(set).length === 0}
          onClick={() => void apply()}
          data-testid="bulk-apply"
        >
          {t('compliance.applyToSelected')}
        </Button>
      </Group>
      <ErrorAlert error={error} />
    </Card>
  );
};

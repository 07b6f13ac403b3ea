import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Divider,
  Drawer,
  Group,
  List,
  NativeSelect,
  SegmentedControl,
  SimpleGrid,
  Spoiler,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, get, patch, post, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDate } from '../../ui/format.ts';
import { useLoad } from '../../ui/use-load.ts';
import { FindingHistoryPanel } from './finding-history.tsx';
import {
  decisionSet,
  type Finding,
  REMEDIATIONS,
  SAFETY_IMPACTS,
  type Triage,
  triageOf,
  triagePatch,
  VEX_JUSTIFICATIONS,
  VEX_STATES,
  type VulnerabilityDetail,
  vexProblem,
} from './findings-api.ts';
import { EpssText, SeverityBadge, StateBadge } from './labels.tsx';
import { vulnerabilityHref } from './vulnerability-page.tsx';

/**
 * One finding: what the vulnerability is, why the component matched (advisory, range, fixed version, confidence),
 * and its triage (VEX state with justification or statements, remediation, patient-safety impact, environmental
 * CVSS scored by the server). A decision can be applied to every finding of the vulnerability, previewed first. A
 * note says why (kept in the history); the history of the finding's decisions is listed last.
 */
export const FindingDrawer = ({
  finding,
  onClose,
  onChanged,
}: {
  finding: Finding | null;
  onClose: () => void;
  onChanged: () => void;
}) => (
  <Drawer
    opened={finding !== null}
    onClose={onClose}
    position="right"
    size="xl"
    title={
      finding ? (
        <Title order={4}>
          {finding.vulnerabilityId} · {finding.component} {finding.componentVersion ?? ''}
        </Title>
      ) : null
    }
  >
    {finding && <FindingDetail key={finding.id} initial={finding} onChanged={onChanged} />}
  </Drawer>
);

const Fact = ({ label, children }: { label: string; children: ReactNode }) => (
  <Stack gap={0}>
    <Text size="xs" c="dimmed">
      {label}
    </Text>
    <div>{children}</div>
  </Stack>
);

const fetchFinding = async (f: Finding): Promise<Finding | undefined> =>
  (
    await get<{ items: Finding[] }>(
      `/api/v1/findings${query({ releaseId: f.releaseId, vulnerabilityId: f.vulnerabilityId, includeRetracted: 'true' })}`,
    )
  ).items.find((x) => x.id === f.id);

const FindingDetail = ({ initial, onChanged }: { initial: Finding; onChanged: () => void }) => {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const triage = can('vulnerabilities:triage');
  const [finding, setFinding] = useState(initial);
  const [form, setForm] = useState<Triage>(() => triageOf(initial));
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const vuln = useLoad(
    () => get<VulnerabilityDetail>(`/api/v1/vulnerabilities/${encodeURIComponent(initial.vulnerabilityId)}`),
    [initial.vulnerabilityId],
  );
  const set = (next: Partial<Triage>) => {
    setSaved(false);
    setError(null);
    setForm((f) => ({ ...f, ...next }));
  };
  const reload = async () => {
    const fresh = await fetchFinding(finding);
    if (fresh) {
      setFinding(fresh);
      setForm(triageOf(fresh));
    }
  };
  const problem = vexProblem(form);
  const body = triagePatch(triageOf(finding), form);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await patch<Finding>(`/api/v1/findings/${finding.id}`, {
        ...body,
        ...(note.trim() ? { note: note.trim() } : {}),
        version: finding.version,
      });
      setFinding(next);
      setForm(triageOf(next));
      setNote('');
      setSaved(true);
      onChanged();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        // someone else changed it: show their version
        await reload().catch(() => undefined);
        onChanged();
      }
    } finally {
      setBusy(false);
    }
  };
  const reason = finding.matchReason ?? {};
  const v = vuln.data;
  return (
    <Stack data-testid="finding-drawer" data-state={finding.state} data-version={finding.version}>
      <Group gap="xs">
        <SeverityBadge severity={finding.severity} />
        <StateBadge state={finding.state} />
        {finding.kev && (
          <Badge color="red" variant="filled">
            KEV
          </Badge>
        )}
        {finding.aliases.map((a) => (
          <Badge key={a} variant="outline" color="gray" tt="none">
            {a}
          </Badge>
        ))}
      </Group>
      {finding.summary && <Text fw={600}>{finding.summary}</Text>}
      <Anchor
        component={Link}
        to={vulnerabilityHref(finding.vulnerabilityId)}
        size="sm"
        data-testid="finding-vulnerability-page"
      >
        {t('vulnerability.open')} →
      </Anchor>
      {v?.details && (
        <Spoiler maxHeight={72} showLabel={t('findings.more')} hideLabel={t('findings.less')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {v.details}
          </Text>
        </Spoiler>
      )}
      <SimpleGrid cols={3} spacing="sm">
        <Fact label={t('findings.product')}>
          <Text size="sm">
            {finding.product} {finding.release}
          </Text>
        </Fact>
        <Fact label={t('findings.component')}>
          <Text size="sm">
            {finding.component} {finding.componentVersion ?? ''}
          </Text>
        </Fact>
        <Fact label={t('findings.dueDate')}>
          <Text size="sm" c={finding.overdue ? 'red' : undefined} fw={finding.overdue ? 700 : undefined}>
            {formatDate(finding.dueDate, i18n.language)}
            {finding.overdue ? ` · ${t('findings.overdue')}` : ''}
          </Text>
        </Fact>
        <Fact label="CVSS">
          <Stack gap={0}>
            {finding.cvss3 && (
              <Text size="xs">
                3.x {finding.cvss3.score ?? '—'} <Code fz={10}>{finding.cvss3.vector}</Code>
              </Text>
            )}
            {finding.cvss4 && (
              <Text size="xs">
                4.0 {finding.cvss4.score ?? '—'} <Code fz={10}>{finding.cvss4.vector}</Code>
              </Text>
            )}
            {!finding.cvss3 && !finding.cvss4 && <Text size="xs">—</Text>}
          </Stack>
        </Fact>
        <Fact label="EPSS">
          <EpssText epss={finding.epss} percentile={finding.epssPercentile} />
        </Fact>
        <Fact label={t('findings.environmental')}>
          <Text size="sm" data-testid="finding-env-score">
            {finding.environmental ? `${finding.environmental.score ?? '—'}` : '—'}
          </Text>
        </Fact>
      </SimpleGrid>
      {v && (v.cwes.length > 0 || v.advisories.length > 0) && (
        <Group gap={4}>
          {v.cwes.map((c) => (
            <Badge key={c} variant="light" color="grape" tt="none">
              {c}
            </Badge>
          ))}
          {v.advisories.map((a) => (
            <Badge
              key={a.id}
              variant="light"
              color={a.withdrawn_at ? 'gray' : 'indigo'}
              tt="none"
              td={a.withdrawn_at ? 'line-through' : undefined}
            >
              {a.source.toUpperCase()} {a.id}
            </Badge>
          ))}
        </Group>
      )}
      <Card withBorder bg="gray.0" data-testid="finding-match-reason">
        <Stack gap={4}>
          <Title order={6}>{t('findings.whyMatched')}</Title>
          <SimpleGrid cols={2} spacing={4}>
            <Text size="sm">
              {t('findings.advisory')}:{' '}
              <b data-testid="match-advisory">{reason.advisory ?? finding.advisoryId}</b>
            </Text>
            <Text size="sm">
              {t('findings.matchedBy')}: {finding.matchKind === 'cpe' ? 'CPE' : 'purl'}
              {reason.ecosystem ? ` · ${reason.ecosystem}` : ''}
              {reason.packageName ? ` / ${reason.packageName}` : ''}
            </Text>
            <Text size="sm" data-testid="match-range">
              {t('findings.matchRule')}:{' '}
              {reason.reason === 'version-list'
                ? t('findings.reason_versionList')
                : t('findings.rangeText', {
                    type: reason.rangeType ?? '',
                    introduced: reason.introduced ?? '0',
                    end: reason.fixed
                      ? `< ${reason.fixed}`
                      : reason.lastAffected
                        ? `≤ ${reason.lastAffected}`
                        : t('findings.noUpperBound'),
                  })}
            </Text>
            <Text size="sm">
              {t('findings.fixedVersion')}:{' '}
              <b data-testid="match-fixed">{reason.fixed ?? t('findings.noFix')}</b>
            </Text>
            <Text size="sm" data-testid="match-confidence" data-confidence={reason.confidence ?? ''}>
              {t('findings.confidence')}:{' '}
              {reason.confidence ? t(`findings.confidence_${reason.confidence}`) : '—'} (
              {Math.round(finding.confidence * 100)}%)
            </Text>
            {finding.purl && (
              <Text size="xs" c="dimmed">
                <Code fz={10}>{finding.purl}</Code>
              </Text>
            )}
          </SimpleGrid>
          {reason.notes && reason.notes.length > 0 && (
            <List size="xs">
              {reason.notes.map((n) => (
                <List.Item key={n}>{n}</List.Item>
              ))}
            </List>
          )}
        </Stack>
      </Card>
      <Divider label={t('findings.triage')} labelPosition="left" />
      <TriageForm form={form} onChange={set} disabled={!triage} />
      {triage && (
        <TextInput
          label={t('findings.historyNote')}
          description={t('findings.historyNoteHelp')}
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.currentTarget.value)}
          data-testid="triage-note"
        />
      )}
      {problem && (
        <Alert color="yellow" variant="light" data-testid="triage-problem">
          {t(`findings.${problem}`)}
        </Alert>
      )}
      <ErrorAlert error={error} />
      {triage && (
        <Group>
          <Button
            onClick={() => void save()}
            loading={busy}
            disabled={Object.keys(body).length === 0}
            data-testid="triage-save"
          >
            {t('findings.saveTriage')}
          </Button>
          {saved && (
            <Text size="sm" c="teal" data-testid="triage-saved">
              {t('findings.saved')}
            </Text>
          )}
        </Group>
      )}
      {triage && (
        <DecisionPanel
          finding={finding}
          form={form}
          note={note}
          onApplied={() => {
            setNote('');
            void reload().catch(() => undefined);
            onChanged();
          }}
        />
      )}
      <Divider />
      <FindingHistoryPanel findingId={finding.id} version={finding.version} />
    </Stack>
  );
};

const TriageForm = ({
  form,
  onChange,
  disabled,
}: {
  form: Triage;
  onChange: (next: Partial<Triage>) => void;
  disabled: boolean;
}) => {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <SimpleGrid cols={2}>
        <NativeSelect
          label={t('findings.state')}
          value={form.state}
          disabled={disabled}
          onChange={(e) => onChange({ state: e.currentTarget.value as Triage['state'] })}
          data={VEX_STATES.map((s) => ({ value: s, label: t(`findings.state_${s}`) }))}
          data-testid="triage-state"
        />
        <NativeSelect
          label={t('findings.justification')}
          description={form.state === 'not_affected' ? t('findings.justificationHelp') : undefined}
          value={form.justification}
          disabled={disabled}
          onChange={(e) => onChange({ justification: e.currentTarget.value as Triage['justification'] })}
          data={[
            { value: '', label: '—' },
            ...VEX_JUSTIFICATIONS.map((j) => ({ value: j, label: t(`findings.justification_${j}`) })),
          ]}
          data-testid="triage-justification"
        />
      </SimpleGrid>
      <Textarea
        label={t('findings.impactStatement')}
        autosize
        minRows={2}
        value={form.impactStatement}
        disabled={disabled}
        onChange={(e) => onChange({ impactStatement: e.currentTarget.value })}
        data-testid="triage-impact"
      />
      <Textarea
        label={t('findings.actionStatement')}
        description={form.state === 'affected' ? t('findings.actionHelp') : undefined}
        autosize
        minRows={2}
        value={form.actionStatement}
        disabled={disabled}
        onChange={(e) => onChange({ actionStatement: e.currentTarget.value })}
        data-testid="triage-action"
      />
      <SimpleGrid cols={2}>
        <NativeSelect
          label={t('findings.remediation')}
          value={form.remediation}
          disabled={disabled}
          onChange={(e) => onChange({ remediation: e.currentTarget.value as Triage['remediation'] })}
          data={REMEDIATIONS.map((r) => ({ value: r, label: t(`findings.remediation_${r}`) }))}
          data-testid="triage-remediation"
        />
        <NativeSelect
          label={t('findings.patientSafety')}
          value={form.patientSafetyImpact}
          disabled={disabled}
          onChange={(e) =>
            onChange({ patientSafetyImpact: e.currentTarget.value as Triage['patientSafetyImpact'] })
          }
          data={[
            { value: '', label: '—' },
            ...SAFETY_IMPACTS.map((s) => ({ value: s, label: t(`findings.safety_${s}`) })),
          ]}
          data-testid="triage-safety"
        />
      </SimpleGrid>
      <TextInput
        label={t('findings.environmentalVector')}
        description={t('findings.environmentalHelp')}
        placeholder="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L"
        value={form.cvssEnvironmentalVector}
        disabled={disabled}
        onChange={(e) => onChange({ cvssEnvironmentalVector: e.currentTarget.value })}
        data-testid="triage-cvss-env"
        ff="monospace"
      />
    </Stack>
  );
};

type Scope = 'product' | 'all';

/**
 * "Apply to all releases / products": the same decision for every finding of this vulnerability, in this product's
 * releases or in every product. The preview lists what it would touch; applying writes one audit entry per finding.
 */
const DecisionPanel = ({
  finding,
  form,
  note,
  onApplied,
}: {
  finding: Finding;
  form: Triage;
  /** Why, kept in the history of each finding the decision changes. */
  note: string;
  onApplied: () => void;
}) => {
  const { t } = useTranslation();
  const [scope, setScope] = useState<Scope>('product');
  const [preview, setPreview] = useState<Finding[] | null>(null);
  const [applied, setApplied] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const send = (isPreview: boolean) =>
    post<{ touched: Finding[]; applied: boolean }>(
      `/api/v1/vulnerabilities/${encodeURIComponent(finding.vulnerabilityId)}/decision`,
      {
        productIds: scope === 'product' ? [finding.productId] : null,
        preview: isPreview,
        set: decisionSet(form),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
    );
  const run = async (isPreview: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const res = await send(isPreview);
      if (isPreview) {
        setPreview(res.touched);
        setApplied(null);
      } else {
        setApplied(res.touched.length);
        setPreview(null);
        onApplied();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder data-testid="decision-panel">
      <Stack gap="sm">
        <Title order={6}>{t('findings.decisionTitle', { id: finding.vulnerabilityId })}</Title>
        <Text size="xs" c="dimmed">
          {t('findings.decisionHelp')}
        </Text>
        <Group>
          <SegmentedControl
            value={scope}
            onChange={(v) => {
              setScope(v as Scope);
              setPreview(null);
              setApplied(null);
            }}
            data={[
              { value: 'product', label: t('findings.scopeProduct', { product: finding.product }) },
              { value: 'all', label: t('findings.scopeAll') },
            ]}
            data-testid="decision-scope"
          />
          <Button
            variant="default"
            onClick={() => void run(true)}
            loading={busy && preview === null}
            data-testid="decision-preview"
          >
            {t('findings.preview')}
          </Button>
        </Group>
        <ErrorAlert error={error} />
        {preview && (
          <Stack gap="xs" data-testid="decision-preview-list" data-count={preview.length}>
            <Text size="sm" fw={600}>
              {t('findings.previewCount', { count: preview.length })}
            </Text>
            <Table fz="sm" withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('findings.product')}</Table.Th>
                  <Table.Th>{t('findings.release')}</Table.Th>
                  <Table.Th>{t('findings.component')}</Table.Th>
                  <Table.Th>{t('findings.state')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.map((p) => (
                  <Table.Tr key={p.id} data-testid={`decision-preview-row-${p.release}`}>
                    <Table.Td>{p.product}</Table.Td>
                    <Table.Td>{p.release}</Table.Td>
                    <Table.Td>
                      {p.component} {p.componentVersion ?? ''}
                    </Table.Td>
                    <Table.Td>
                      {t(`findings.state_${p.state}`)} → <b>{t(`findings.state_${form.state}`)}</b>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group>
              <Button
                color="teal"
                disabled={preview.length === 0}
                loading={busy}
                onClick={() => void run(false)}
                data-testid="decision-apply"
              >
                {t('findings.apply', { count: preview.length })}
              </Button>
              <Anchor size="sm" onClick={() => setPreview(null)}>
                {t('common.cancel')}
              </Anchor>
            </Group>
          </Stack>
        )}
        {applied !== null && (
          <Alert color="teal" variant="light" data-testid="decision-applied" data-count={applied}>
            {t('findings.applied', { count: applied })}
          </Alert>
        )}
      </Stack>
    </Card>
  );
};

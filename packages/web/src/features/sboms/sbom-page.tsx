import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  ScrollArea,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import type { Release, SbomIssue } from '@medsec/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { get, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { ShortHash } from '../evidence/evidence-page.tsx';
import { formatBytes } from '../evidence/file-field.tsx';
import { getProduct, listReleases } from '../products/products-api.ts';
import { findingsHref, isOpen } from '../vulnerabilities/findings-api.ts';
import { CompletenessPanel } from './completeness-panel.tsx';
import { ComponentExplorer } from './component-explorer.tsx';
import { type DiffCandidate, SbomDiffView } from './sbom-diff.tsx';
import { SbomUpload } from './sbom-upload.tsx';
import { exportHref, formatLabel, listSboms, SBOM_EXPORT_FORMATS, type SbomSummary } from './sboms-api.ts';

const TABS = ['completeness', 'components', 'diff', 'issues'] as const;
type Tab = (typeof TABS)[number];

/**
 * The SBOMs of one release (MFDS 2025 arts. 13, 16): upload (matching runs as a job with progress), the versions
 * kept, the completeness of the chosen one (NTIA minimum elements, FDA support fields), its components with their
 * findings, what changed from another SBOM, the issues a lenient import recorded, and exports.
 */
export const SbomPage = () => {
  const { t, i18n } = useTranslation();
  const { id = '', releaseId = '' } = useParams();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'completeness';
  const setTab = (next: Tab) =>
    setParams((prev) => {
      const p = new URLSearchParams(prev);
      p.set('tab', next);
      return p;
    });
  // sbomsTick: the version list (after an upload); matchTick: findings counts (after the matching job)
  const [sbomsTick, setSbomsTick] = useState(0);
  const [matchTick, setMatchTick] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [diffFrom, setDiffFrom] = useState<string | null>(null);
  const product = useLoad(() => getProduct(id), [id]);
  const releases = useLoad(() => listReleases(id), [id]);
  const sboms = useLoad(() => listSboms(releaseId), [releaseId, sbomsTick]);
  const findings = useLoad(
    () => get<{ items: { state: string }[] }>(`/api/v1/findings${query({ releaseId })}`),
    [releaseId, matchTick],
  );
  if (!product.data || !releases.data) {
    return product.error || releases.error ? (
      <ErrorAlert error={product.error ?? releases.error} />
    ) : (
      <Loader />
    );
  }
  const release = releases.data.find((r) => r.id === releaseId);
  const items = sboms.data ?? [];
  const sbom = items.find((s) => s.id === selected) ?? items.find((s) => s.current) ?? items[0];
  const numberOf = (s: SbomSummary) => items.length - items.indexOf(s);
  const total = findings.data?.items.length ?? 0;
  const open = findings.data?.items.filter((f) => isOpen(f.state)).length ?? 0;
  return (
    <Page
      title={`${product.data.name} ${release?.version ?? ''} · SBOM`}
      help={t('sboms.help')}
      actions={
        <Group>
          <Anchor component={Link} to={`/products/${id}?tab=releases`} size="sm">
            ← {product.data.name}
          </Anchor>
          <Anchor
            component={Link}
            to={`/products/${id}/releases/${releaseId}`}
            size="sm"
            data-testid="sbom-board-link"
          >
            {t('sboms.board')}
          </Anchor>
        </Group>
      }
    >
      <ErrorAlert error={sboms.error ?? findings.error} />
      <Card withBorder>
        <Group justify="space-between">
          <Group gap="xl">
            <Stack gap={0}>
              <Text size="xs" c="dimmed">
                {t('sboms.currentComponents')}
              </Text>
              <Text fw={700} size="xl" data-testid="sbom-current-components">
                {items.find((s) => s.current)?.componentCount ?? '—'}
              </Text>
            </Stack>
            <Stack gap={0}>
              <Text size="xs" c="dimmed">
                {t('sboms.releaseFindings')}
              </Text>
              <Text
                fw={700}
                size="xl"
                c={open > 0 ? 'red' : undefined}
                data-testid="sbom-findings-count"
                data-count={findings.data ? total : ''}
                data-open={findings.data ? open : ''}
              >
                {findings.data ? t('sboms.openOfTotal', { open, total }) : '…'}
              </Text>
            </Stack>
          </Group>
          <Button
            component={Link}
            to={findingsHref({ productId: id, releaseId })}
            variant="light"
            data-testid="sbom-findings-link"
          >
            {t('sboms.openFindings')}
          </Button>
        </Group>
      </Card>
      {can('sboms:write') && (
        <SbomUpload
          releaseId={releaseId}
          onUploaded={(s) => {
            setSelected(s.id);
            setDiffFrom(null);
            setSbomsTick((n) => n + 1);
          }}
          onMatched={() => setMatchTick((n) => n + 1)}
        />
      )}
      <Card withBorder>
        <Stack gap="sm">
          <Title order={5}>{t('sboms.versions')}</Title>
          {sboms.data && items.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="sbom-none">
              {t('sboms.none')}
            </Text>
          ) : (
            <ScrollArea>
              <Table withTableBorder fz="sm" miw={960} data-testid="sbom-versions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={50}>#</Table.Th>
                    <Table.Th>{t('sboms.fileName')}</Table.Th>
                    <Table.Th>{t('sboms.format')}</Table.Th>
                    <Table.Th>{t('sboms.components')}</Table.Th>
                    <Table.Th>SHA-256</Table.Th>
                    <Table.Th>{t('sboms.uploadedAt')}</Table.Th>
                    <Table.Th>{t('common.status')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((s) => (
                    <Table.Tr
                      key={s.id}
                      data-testid={`sbom-version-${numberOf(s)}`}
                      data-current={s.current}
                      data-selected={s.id === sbom?.id}
                      bg={s.id === sbom?.id ? 'teal.0' : undefined}
                    >
                      <Table.Td>v{numberOf(s)}</Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {s.fileName}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {s.name ?? ''} · {formatBytes(s.size)}
                        </Text>
                      </Table.Td>
                      <Table.Td>{formatLabel(s)}</Table.Td>
                      <Table.Td>{s.componentCount}</Table.Td>
                      <Table.Td>
                        <ShortHash value={s.sha256} />
                      </Table.Td>
                      <Table.Td>{formatDateTime(s.createdAt, i18n.language)}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {s.current ? (
                            <Badge color="teal">{t('sboms.current')}</Badge>
                          ) : (
                            <Badge color="gray" variant="light">
                              {t('sboms.superseded')}
                            </Badge>
                          )}
                          {s.lenient && (
                            <Badge color="orange" variant="light">
                              {t('sboms.lenientBadge')}
                            </Badge>
                          )}
                          {s.issues.length > 0 && (
                            <Badge color="yellow" variant="light">
                              {t('sboms.issuesN', { count: s.issues.length })}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="compact-xs"
                          variant={s.id === sbom?.id ? 'filled' : 'default'}
                          onClick={() => {
                            setSelected(s.id);
                            setDiffFrom(null);
                          }}
                          data-testid={`sbom-select-${numberOf(s)}`}
                        >
                          {t('sboms.view')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          )}
        </Stack>
      </Card>
      {sbom && (
        <>
          <Group justify="space-between">
            <Title order={4} data-testid="sbom-selected" data-id={sbom.id}>
              v{numberOf(sbom)} · {sbom.fileName}
            </Title>
            <Group gap="xs">
              {SBOM_EXPORT_FORMATS.map((f) => (
                <Button
                  key={f}
                  component="a"
                  href={exportHref(sbom.id, f)}
                  download
                  variant="default"
                  size="xs"
                  data-testid={`sbom-export-${f}`}
                >
                  {t(`sboms.export_${f}`)}
                </Button>
              ))}
            </Group>
          </Group>
          <Tabs value={tab} onChange={(v) => setTab((v as Tab | null) ?? 'completeness')}>
            <Tabs.List>
              {TABS.map((k) => (
                <Tabs.Tab key={k} value={k} data-testid={`sbom-tab-${k}`}>
                  {k === 'issues'
                    ? t('sboms.tab_issues', { count: sbom.issues.length })
                    : t(`sboms.tab_${k}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
          </Tabs>
          {tab === 'completeness' && <CompletenessPanel report={sbom.completeness} />}
          {tab === 'components' && (
            <ComponentExplorer sbomId={sbom.id} productId={id} releaseId={releaseId} tick={matchTick} />
          )}
          {tab === 'diff' && (
            <DiffTab
              sbom={sbom}
              versions={items}
              release={release}
              releases={releases.data}
              from={diffFrom}
              onFrom={setDiffFrom}
              numberOf={numberOf}
              tick={matchTick}
            />
          )}
          {tab === 'issues' && <IssuesTable issues={sbom.issues} />}
        </>
      )}
    </Page>
  );
};

/**
 * The diff tab: the SBOMs to compare with are the other versions of this release and the current SBOM of every other
 * release of the product; the default is the previous version, else the base release's SBOM.
 */
const DiffTab = ({
  sbom,
  versions,
  release,
  releases,
  from,
  onFrom,
  numberOf,
  tick,
}: {
  sbom: SbomSummary;
  versions: SbomSummary[];
  release: Release | undefined;
  releases: Release[];
  from: string | null;
  onFrom: (id: string) => void;
  numberOf: (s: SbomSummary) => number;
  tick: number;
}) => {
  const { t } = useTranslation();
  const others = releases.filter((r) => r.id !== release?.id);
  const elsewhere = useLoad(
    async () =>
      (
        await Promise.all(
          others.map(async (r) => ({ release: r, sbom: (await listSboms(r.id)).find((s) => s.current) })),
        )
      ).filter((x): x is { release: Release; sbom: SbomSummary } => x.sbom !== undefined),
    [others.map((r) => r.id).join(',')],
  );
  if (!elsewhere.data) {
    return elsewhere.error ? <ErrorAlert error={elsewhere.error} /> : <Loader size="sm" />;
  }
  const own = versions.filter((v) => v.id !== sbom.id);
  const candidates: DiffCandidate[] = [
    ...own.map((v) => ({
      id: v.id,
      label: t('sboms.diffOwnVersion', {
        version: release?.version ?? '',
        n: numberOf(v),
        file: v.fileName,
      }),
    })),
    ...elsewhere.data.map((e) => ({
      id: e.sbom.id,
      label: t('sboms.diffOtherRelease', { version: e.release.version, file: e.sbom.fileName }),
    })),
  ];
  const older = own.find((v) => numberOf(v) < numberOf(sbom));
  const base = elsewhere.data.find((e) => e.release.id === release?.basedOn);
  const chosen =
    from && candidates.some((c) => c.id === from)
      ? from
      : (older?.id ?? base?.sbom.id ?? candidates[0]?.id ?? null);
  return <SbomDiffView sbomId={sbom.id} candidates={candidates} from={chosen} onFrom={onFrom} tick={tick} />;
};

const IssuesTable = ({ issues }: { issues: SbomIssue[] }) => {
  const { t } = useTranslation();
  if (issues.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="sbom-issues-none">
        {t('sboms.noIssues')}
      </Text>
    );
  }
  return (
    <ScrollArea>
      <Table withTableBorder fz="sm" data-testid="sbom-issues">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={100}>{t('sboms.issueSeverity')}</Table.Th>
            <Table.Th w={120}>{t('sboms.issueDropped')}</Table.Th>
            <Table.Th w={200}>{t('sboms.issueLocation')}</Table.Th>
            <Table.Th>{t('sboms.issueMessage')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {issues.slice(0, 500).map((issue, i) => (
            // issues have no id; their order is the parser's
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
            <Table.Tr key={i}>
              <Table.Td>
                <Badge color={issue.severity === 'error' ? 'red' : 'yellow'} variant="light">
                  {t(`sboms.severity_${issue.severity}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{t(`sboms.dropped_${issue.dropped}`)}</Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace">
                  {issue.line !== undefined ? t('sboms.line', { n: issue.line }) : (issue.pointer ?? '/')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{issue.message}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
};

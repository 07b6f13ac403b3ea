import {
  Badge,
  Card,
  Code,
  Grid,
  Group,
  List,
  Mark,
  NavLink,
  ScrollArea,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { Framework, Requirement, RequirementDetail } from '@medsec/core';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { get, query } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorAlert } from '../../ui/errors.tsx';
import { Page } from '../../ui/page.tsx';
import { useLoad } from '../../ui/use-load.ts';
import {
  ActivitiesTable,
  ImdrfRows,
  ImportFrameworkButton,
  LinksList,
  MappingView,
  NumericExamples,
  ServiceModelView,
  TemplatesView,
} from './catalog-extras.tsx';

type Detail = RequirementDetail;
/** Views that are not an entry tree. */
const SPECIAL_VIEWS = ['imdrf-mapping', 'templates', 'service-model'] as const;

const OB_COLOR: Record<Requirement['obligation'], string> = {
  mandatory: 'red',
  recommended: 'blue',
  mixed: 'grape',
  none: 'gray',
};
const FRAMEWORKS: Record<string, { groups: string[]; kind?: string; framework?: string }> = {
  'mfds-2025': {
    groups: [
      'general',
      'physical-security',
      'technical-security',
      'risk-management',
      'intrusion-response',
      'vulnerability-management',
    ],
    kind: 'article',
  },
  'kisa-healthcare': {
    groups: [
      ...['device-1', 'device-2', 'device-3', 'device-4', 'device-5', 'device-6'],
      ...[
        'app-1',
        'app-2',
        'app-3',
        'app-4',
        'web-1',
        'web-2',
        'web-3',
        'web-4',
        'infra-1',
        'infra-2',
        'infra-3',
      ],
    ],
    kind: 'requirement',
  },
  'mfds-definitions': { framework: 'mfds-2025', groups: ['definitions'], kind: 'definition' },
  'kisa-threats': {
    framework: 'kisa-healthcare',
    groups: ['threat-1', 'threat-2', 'threat-3', 'threat-4'],
    kind: 'threat',
  },
};

export const ObligationBadge = ({ value }: { value: Requirement['obligation'] }) => {
  const { t } = useTranslation();
  return (
    <Badge color={OB_COLOR[value]} variant="light" data-testid={`obligation-${value}`}>
      {t(`catalog.ob_${value}`)}
    </Badge>
  );
};

/** Highlights the search phrase (spacing-insensitive for Korean) inside a text. */
const Highlight = ({ text, q }: { text: string; q: string }) => {
  const needle = q.replace(/\s+/g, '');
  if (!needle) {
    return <>{text}</>;
  }
  // Map positions of the compacted text back to the original to mark the first match.
  const positions: number[] = [];
  let compacted = '';
  for (let i = 0; i < text.length; i++) {
    if (!/\s/.test(text[i]!)) {
      positions.push(i);
      compacted += text[i]!.toLowerCase();
    }
  }
  const at = compacted.indexOf(needle.toLowerCase());
  if (at < 0) {
    return <>{text}</>;
  }
  const start = positions[at]!;
  const end = positions[at + needle.length - 1]! + 1;
  return (
    <>
      {text.slice(0, start)}
      <Mark>{text.slice(start, end)}</Mark>
      {text.slice(end)}
    </>
  );
};

const label = (r: Requirement, t: TFunction): string =>
  r.kind === 'article'
    ? `${t('catalog.article', { n: r.article })} ${r.titleKo ?? ''}`
    : r.kind === 'check'
      ? t('catalog.gmp', { n: r.item })
      : ['requirement', 'threat', 'definition', 'reference', 'section'].includes(r.kind)
        ? (r.titleKo ?? r.ref)
        : r.kind === 'guidance'
          ? t('catalog.guidanceN', { n: r.ref.split('guide-')[1] })
          : r.kind === 'clause'
            ? t('catalog.clause', { n: r.clause })
            : t('catalog.item', { n: r.item });

export const CatalogPage = () => {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const selected = params.get('ref');
  const view =
    params.get('framework') ??
    (selected?.split(':')[0] === 'kisa-healthcare' ? 'kisa-healthcare' : 'mfds-2025');
  const { can } = useSession();
  const frameworks = useLoad(() => get<{ items: Framework[] }>('/api/v1/catalog/frameworks'), []);
  const own = (frameworks.data?.items ?? []).filter((f) => !f.builtIn);
  const special = (SPECIAL_VIEWS as readonly string[]).includes(view);
  const fw = FRAMEWORKS[view] ?? { groups: [] };
  const framework = fw.framework ?? view;
  const [q, setQ] = useState(params.get('q') ?? '');
  const [debounced, setDebounced] = useState(q);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(timer);
  }, [q]);
  const articles = useLoad(async () => {
    if (special) {
      return { items: [] };
    }
    // The tree needs every top-level entry of the framework: page through (100 per page).
    const items: Requirement[] = [];
    for (let page = 1; page < 50; page++) {
      const res = await get<{ items: Requirement[] }>(
        `/api/v1/catalog/requirements${query({ framework, kind: fw.kind, pageSize: 100, page })}`,
      );
      items.push(...res.items);
      if (res.items.length < 100) {
        break;
      }
    }
    // An organization's own framework: its top-level entries, grouped as the file groups them.
    return { items: fw.kind ? items : items.filter((r) => r.parentRef === null) };
  }, [view]);
  const results = useLoad(
    () =>
      debounced
        ? get<{ items: (Requirement & { score: number })[] }>(
            `/api/v1/catalog/search${query({ q: debounced, limit: 50 })}`,
          )
        : Promise.resolve({ items: [] }),
    [debounced],
  );
  const detail = useLoad(
    () =>
      selected
        ? get<Detail>(`/api/v1/catalog/requirements/${encodeURIComponent(selected)}`)
        : Promise.resolve(null),
    [selected],
  );
  const select = (ref: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.set('ref', ref);
      return next;
    });
  const byGroup = useMemo(() => {
    const items = articles.data?.items ?? [];
    const groups = fw.groups.length ? fw.groups : [...new Set(items.map((a) => a.group ?? ''))];
    return groups.map((g) => ({ group: g, items: items.filter((a) => (a.group ?? '') === g) }));
  }, [articles.data, fw]);
  const en = i18n.language === 'en';

  return (
    <Page
      title={t('catalog.title')}
      help={t('catalog.help')}
      actions={
        <Group>
          <SegmentedControl
            data-testid="catalog-framework"
            value={view}
            onChange={(value) => setParams(new URLSearchParams({ framework: value }))}
            data={[
              ...[...Object.keys(FRAMEWORKS), ...SPECIAL_VIEWS].map((id) => ({
                value: id,
                label: t(`catalog.framework_${id}`),
              })),
              ...own.map((f) => ({ value: f.id, label: f.nameKo })),
            ]}
          />
          {can('catalog:manage') && <ImportFrameworkButton onImported={() => frameworks.reload()} />}
        </Group>
      }
    >
      <TextInput
        placeholder={t('catalog.search')}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        data-testid="catalog-search"
      />
      <ErrorAlert error={articles.error ?? detail.error} />
      {view === 'imdrf-mapping' && !debounced && <MappingView onSelect={select} />}
      {view === 'templates' && !debounced && <TemplatesView />}
      {view === 'service-model' && !debounced && <ServiceModelView />}
      <Grid display={special && !debounced && !selected ? 'none' : undefined}>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder p={0}>
            <ScrollArea h={640}>
              {debounced ? (
                <Stack gap={0} p="xs" data-testid="catalog-results">
                  <Text size="xs" c="dimmed" px="xs">
                    {results.data?.items.length
                      ? t('catalog.results', { count: results.data.items.length })
                      : t('catalog.noResults')}
                  </Text>
                  {results.data?.items.map((r) => (
                    <NavLink
                      key={r.ref}
                      active={r.ref === selected}
                      onClick={() => select(r.ref)}
                      label={
                        <Text size="sm" fw={600}>
                          {r.ref.replace('mfds-2025:', '')}
                        </Text>
                      }
                      description={
                        <Text size="xs" lineClamp={3}>
                          <Highlight text={en && r.textEn ? r.textEn : r.textKo} q={debounced} />
                        </Text>
                      }
                    />
                  ))}
                </Stack>
              ) : (
                <Stack gap={0} p="xs" data-testid="catalog-tree">
                  {byGroup.map(({ group, items }) => (
                    <div key={group}>
                      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="sm">
                        {t(`catalog.group_${group}`, { defaultValue: group })}
                      </Text>
                      {items.map((a) => (
                        <NavLink
                          key={a.ref}
                          active={selected === a.ref || selected?.startsWith(`${a.ref}:`) === true}
                          onClick={() => select(a.ref)}
                          label={
                            a.kind === 'article'
                              ? `${t('catalog.article', { n: a.article })} ${en && a.titleEn ? a.titleEn : a.titleKo}`
                              : en && a.titleEn
                                ? a.titleEn
                                : (a.titleKo ?? a.ref)
                          }
                          rightSection={
                            a.kind === 'threat' || a.kind === 'definition' ? undefined : (
                              <Badge size="xs" color={OB_COLOR[a.obligation]} variant="light">
                                {t(`catalog.ob_${a.obligation}`)}
                              </Badge>
                            )
                          }
                          data-testid={
                            a.kind === 'article'
                              ? `catalog-art-${a.article}`
                              : `catalog-req-${a.ref.split('dev-')[1]}`
                          }
                        />
                      ))}
                    </div>
                  ))}
                </Stack>
              )}
            </ScrollArea>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          {detail.data ? (
            <DetailPanel d={detail.data} onSelect={select} q={debounced} />
          ) : (
            <Text c="dimmed">{t('catalog.select')}</Text>
          )}
        </Grid.Col>
      </Grid>
    </Page>
  );
};

const DetailPanel = ({ d, onSelect, q }: { d: Detail; onSelect: (ref: string) => void; q: string }) => {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const pairs = (list: { ko: string; en: string | null }[]) => (
    <List size="sm" spacing={4}>
      {list.map((x) => (
        <List.Item key={x.ko}>
          {x.ko}
          {x.en && (
            <Text size="xs" c="dimmed">
              {x.en}
            </Text>
          )}
        </List.Item>
      ))}
    </List>
  );
  return (
    <Card withBorder data-testid="catalog-detail">
      <Stack>
        <Group justify="space-between" align="flex-start">
          <div>
            {d.parent && (
              <Text
                size="xs"
                c="dimmed"
                style={{ cursor: 'pointer' }}
                onClick={() => onSelect(d.parent!.ref)}
              >
                ← {label(d.parent, t)}
              </Text>
            )}
            <Title order={3}>
              {label(d, t)}
              {d.kind === 'article' && d.titleEn ? (
                <Text span c="dimmed" size="md">
                  {' '}
                  · {d.titleEn}
                </Text>
              ) : null}
            </Title>
            <Code>{d.ref}</Code>
          </div>
          <Group gap="xs">
            {d.kind !== 'threat' && d.kind !== 'definition' && d.kind !== 'check' && (
              <ObligationBadge value={d.obligation} />
            )}
            {d.actors.map((a) => (
              <Badge key={a} variant="outline" color="gray">
                {t(`catalog.actor_${a}`)}
              </Badge>
            ))}
            {d.retired && <Badge color="gray">{t('catalog.retired')}</Badge>}
          </Group>
        </Group>
        <Grid>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Text size="xs" fw={700} c="dimmed">
              {t('catalog.original')}
            </Text>
            <Text lang="ko" data-testid="catalog-text-ko" style={{ whiteSpace: 'pre-wrap' }}>
              <Highlight text={d.textKo} q={q} />
            </Text>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Text size="xs" fw={700} c="dimmed">
              {t('catalog.translation')}
            </Text>
            <Text lang="en" data-testid="catalog-text-en" c={d.textEn ? undefined : 'dimmed'}>
              {d.textEn ?? t('catalog.noTranslation')}
            </Text>
          </Grid.Col>
        </Grid>
        {d.children.some((c) => c.kind !== 'guidance') && (
          <Stack gap={4}>
            {d.children
              .filter((c) => c.kind !== 'guidance')
              .map((c) => (
                <Card
                  key={c.ref}
                  withBorder
                  p="xs"
                  style={{ cursor: 'pointer' }}
                  onClick={() => onSelect(c.ref)}
                  data-testid={`catalog-child-${c.ref.split(':').pop()}`}
                >
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <Text size="sm">
                      <b>{label(c, t)}</b> {c.textKo}
                    </Text>
                    {c.kind !== 'check' && <ObligationBadge value={c.obligation} />}
                  </Group>
                </Card>
              ))}
          </Stack>
        )}
        <ImdrfRows rows={d.imdrf} onSelect={onSelect} />
        <LinksList links={d.links} onSelect={onSelect} />
        <NumericExamples items={d.numericExamples} />
        {d.children.some((c) => c.kind === 'guidance') && (
          <div data-testid="catalog-guidance">
            <Text size="xs" fw={700} c="dimmed">
              {t('catalog.guidance')}
            </Text>
            <Stack gap={2} mt={4}>
              {d.children
                .filter((c) => c.kind === 'guidance')
                .map((c) => (
                  <Text key={c.ref} size="sm" style={{ cursor: 'pointer' }} onClick={() => onSelect(c.ref)}>
                    {c.titleKo && (
                      <Text span size="xs" c="dimmed">
                        [{en && c.titleEn ? c.titleEn : c.titleKo}]{' '}
                      </Text>
                    )}
                    {en && c.textEn ? c.textEn : c.textKo}{' '}
                    {c.obligation !== 'none' && <ObligationBadge value={c.obligation} />}
                  </Text>
                ))}
            </Stack>
          </div>
        )}
        <ActivitiesTable activities={d.activities} />
        {d.approvalRequirements.length > 0 && (
          <div>
            <Text size="xs" fw={700} c="dimmed">
              {t('catalog.approvalIds')}
            </Text>
            <Group gap="xs" mt={4}>
              {d.approvalRequirements.map((a) => (
                <Badge key={a.id} variant="light" color="teal" title={a.titleEn ?? ''}>
                  {a.id} {a.titleKo}
                </Badge>
              ))}
            </Group>
          </div>
        )}
        {d.keyChecks.length > 0 && (
          <div>
            <Text size="xs" fw={700} c="dimmed">
              {t('catalog.keyChecks')}
            </Text>
            {pairs(d.keyChecks)}
          </div>
        )}
        {d.evidenceExamples.length > 0 && (
          <div>
            <Text size="xs" fw={700} c="dimmed">
              {t('catalog.evidence')}
            </Text>
            {pairs(d.evidenceExamples)}
          </div>
        )}
        {d.countermeasures.length > 0 && (
          <div data-testid="catalog-countermeasures">
            <Text size="xs" fw={700} c="dimmed">
              {t('catalog.countermeasures')}
            </Text>
            {d.countermeasures.map((c) => (
              <Group key={c.nameKo} gap="xs" mt={4}>
                <Badge variant="light" color="teal">
                  {c.nameKo}
                </Badge>
                {c.refs.map((ref) => (
                  <Code key={ref} style={{ cursor: 'pointer' }} onClick={() => onSelect(ref)}>
                    {ref.replace('kisa-healthcare:dev-', '')}
                  </Code>
                ))}
              </Group>
            ))}
          </div>
        )}
        {d.notes.length > 0 && (
          <Card withBorder bg="yellow.0" data-testid="catalog-notes">
            <Text size="xs" fw={700} c="dimmed">
              {t('catalog.notes')}
            </Text>
            {d.notes.map((n) => (
              <Text key={n} size="sm">
                {n}
              </Text>
            ))}
          </Card>
        )}
        {d.source && (
          <Text size="xs" c="dimmed">
            {t('catalog.source')}: {d.source.file},{' '}
            {t('catalog.lines', { from: d.source.lines[0], to: d.source.lines[1] })}
          </Text>
        )}
      </Stack>
    </Card>
  );
};

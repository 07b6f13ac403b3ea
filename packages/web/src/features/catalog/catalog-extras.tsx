import {
  Badge,
  Button,
  Card,
  Code,
  FileButton,
  Group,
  List,
  Modal,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import type {
  CatalogTemplate,
  ImdrfMapping,
  KisaModelFile,
  NumericExample,
  RequirementDetail,
  SecurityActivity,
} from '@medsec/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';

/** Parts of the catalog browser beyond the entry tree: mapping matrix, templates, service model, side-panel extras. */

const Section = ({
  title,
  children,
  testId,
}: {
  title: string;
  children: React.ReactNode;
  testId?: string;
}) => (
  <div data-testid={testId}>
    <Text size="xs" fw={700} c="dimmed" mb={4}>
      {title}
    </Text>
    {children}
  </div>
);

/** A cell the seed's scrambled table did not state plainly: dashed, with the reviewer's reason on hover. */
const Inferred = ({
  on,
  note,
  children,
}: {
  on: boolean;
  note: string | null;
  children: React.ReactNode;
}) => {
  const { t } = useTranslation();
  if (!on) {
    return <>{children}</>;
  }
  return (
    <Tooltip label={note ?? t('catalog.inferredHint')} multiline w={320}>
      <span
        data-inferred="true"
        style={{ borderBottom: '1px dashed var(--mantine-color-orange-6)', cursor: 'help' }}
      >
        {children}
        <Text span c="orange" fw={700}>
          *
        </Text>
      </span>
    </Tooltip>
  );
};

export const ImdrfRows = ({
  rows,
  onSelect,
}: {
  rows: RequirementDetail['imdrf'];
  onSelect: (r: string) => void;
}) => {
  const { t } = useTranslation();
  if (rows.length === 0) {
    return null;
  }
  return (
    <Section title={t('catalog.imdrf')} testId="catalog-imdrf">
      <Table withTableBorder fz="sm" verticalSpacing={4}>
        <Table.Tbody>
          {rows.map((m) => (
            <Table.Tr key={m.row}>
              <Table.Td w={150}>
                <Badge variant="light" color="indigo">
                  {t(`catalog.principle_${m.principle}`, { defaultValue: m.principle })}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Inferred on={m.inferred.includes('imdrf')} note={m.note}>
                  <Text size="xs">{m.imdrfTextEn}</Text>
                </Inferred>
              </Table.Td>
              <Table.Td w={90}>
                <Inferred on={m.inferred.includes('approvalId')} note={m.note}>
                  {m.approvalId ?? '—'}
                </Inferred>
              </Table.Td>
              <Table.Td w={80}>
                {m.article !== null && (
                  <Inferred on={m.inferred.includes('article')} note={m.note}>
                    <Code
                      style={{ cursor: 'pointer' }}
                      onClick={() => onSelect(`mfds-2025:art-${m.article}`)}
                    >
                      {t('catalog.article', { n: m.article })}
                    </Code>
                  </Inferred>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
};

export const LinksList = ({
  links,
  onSelect,
}: {
  links: RequirementDetail['links'];
  onSelect: (r: string) => void;
}) => {
  const { t, i18n } = useTranslation();
  if (links.length === 0) {
    return null;
  }
  return (
    <Section title={t('catalog.links')} testId="catalog-links">
      <Stack gap={4}>
        {links.map((l) => (
          <Group key={`${l.from}>${l.to}`} gap="xs" wrap="nowrap" align="flex-start">
            <Code style={{ cursor: 'pointer', whiteSpace: 'nowrap' }} onClick={() => onSelect(l.otherRef)}>
              {l.direction === 'outgoing' ? '→' : '←'} {l.otherRef}
            </Code>
            <div>
              <Text size="sm">
                {(i18n.language === 'en' ? l.otherTitleEn : l.otherTitleKo) ?? l.otherTitleKo}{' '}
                <Badge size="xs" variant="outline">
                  {t(`catalog.relation_${l.relation}`)}
                </Badge>
              </Text>
              <Text size="xs" c="dimmed">
                {t('catalog.basis')}: {l.basisEn}
              </Text>
            </div>
          </Group>
        ))}
      </Stack>
    </Section>
  );
};

export const ActivitiesTable = ({ activities }: { activities: SecurityActivity[] }) => {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  if (activities.length === 0) {
    return null;
  }
  return (
    <Section title={t('catalog.activities')} testId="catalog-activities">
      <ScrollArea>
        <Table withTableBorder fz="xs" verticalSpacing={4} miw={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('catalog.activity')}</Table.Th>
              <Table.Th>{t('catalog.area')}</Table.Th>
              <Table.Th>{t('catalog.actor')}</Table.Th>
              <Table.Th>{t('catalog.io')}</Table.Th>
              <Table.Th>{t('catalog.description')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {activities.map((a) => (
              <Table.Tr key={`${a.nameKo}|${a.direction}|${a.artefact}|${a.source.lines.join('-')}`}>
                <Table.Td>
                  {en ? a.nameEn : a.nameKo}
                  {a.basisKo && (
                    <Text size="xs" c="dimmed">
                      {a.basisKo}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{en ? (a.areaEn ?? a.areaKo) : a.areaKo}</Table.Td>
                <Table.Td>{en ? (a.actorEn ?? a.actorKo) : a.actorKo}</Table.Td>
                <Table.Td>
                  <Badge size="xs" color={a.direction === 'input' ? 'blue' : 'green'} variant="light">
                    {t(`catalog.dir_${a.direction}`)}
                  </Badge>{' '}
                  {t(`catalog.artefact_${a.artefact}`)}
                </Table.Td>
                <Table.Td>
                  {en ? (a.descriptionEn ?? a.descriptionKo) : a.descriptionKo}
                  {(en ? a.examplesEn : a.examplesKo).length > 0 && (
                    <List size="xs" mt={2}>
                      {(en ? a.examplesEn : a.examplesKo).map((x) => (
                        <List.Item key={x}>{x}</List.Item>
                      ))}
                    </List>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Section>
  );
};

export const NumericExamples = ({ items }: { items: NumericExample[] }) => {
  const { t, i18n } = useTranslation();
  if (items.length === 0) {
    return null;
  }
  return (
    <Section title={t('catalog.numbers')} testId="catalog-numbers">
      <Stack gap={4}>
        {items.map((n) => (
          <Group key={n.key} gap="xs" wrap="nowrap" align="flex-start">
            <Badge color="orange" variant="light" style={{ flexShrink: 0 }}>
              {n.value} {t(`catalog.unit_${n.unit}`)}
            </Badge>
            <Text size="sm">{i18n.language === 'en' ? n.textEn : n.textKo}</Text>
          </Group>
        ))}
      </Stack>
    </Section>
  );
};

/**
 * The Ch. II table drawn as a matrix: IMDRF principles (rows) × guideline articles (columns), each cell listing the
 * approval-review requirement IDs that join them; the full rows (IMDRF sentence, ID, article) below. Inferred cells
 * are marked.
 */
export const MappingView = ({ onSelect }: { onSelect: (ref: string) => void }) => {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const mapping = useLoad(() => get<ImdrfMapping>('/api/v1/catalog/imdrf-mapping'), []);
  const [principle, setPrinciple] = useState<string | null>(null);
  const articles = useMemo(
    () =>
      [
        ...new Set((mapping.data?.rows ?? []).map((r) => r.article).filter((a): a is number => a !== null)),
      ].sort((a, b) => a - b),
    [mapping.data],
  );
  if (!mapping.data) {
    return <ErrorAlert error={mapping.error} />;
  }
  const m = mapping.data;
  const texts = new Map(m.imdrf.map((i) => [i.key, i]));
  const inferredCount = m.rows.filter((r) => r.inferred.length > 0).length;
  return (
    <Stack data-testid="catalog-mapping">
      <Text size="sm" c="dimmed">
        {t('catalog.mappingHelp', { rows: m.rows.length, inferred: inferredCount })}
      </Text>
      <ScrollArea>
        <Table withTableBorder withColumnBorders fz="xs" data-testid="mapping-matrix" miw={800}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('catalog.principle')}</Table.Th>
              {articles.map((a) => (
                <Table.Th key={a} ta="center">
                  <Code style={{ cursor: 'pointer' }} onClick={() => onSelect(`mfds-2025:art-${a}`)}>
                    {a}
                  </Code>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {m.principles.map((p) => (
              <Table.Tr
                key={p.key}
                bg={principle === p.key ? 'var(--mantine-color-indigo-0)' : undefined}
                style={{ cursor: 'pointer' }}
                onClick={() => setPrinciple(principle === p.key ? null : p.key)}
              >
                <Table.Td fw={600}>{en ? p.titleEn : p.titleKo}</Table.Td>
                {articles.map((a) => {
                  const cell = m.rows.filter((r) => r.principle === p.key && r.article === a);
                  const ids = [...new Set(cell.map((r) => r.approvalId ?? '—'))];
                  const inferred = cell.some((r) => r.inferred.length > 0);
                  return (
                    <Table.Td
                      key={a}
                      ta="center"
                      bg={
                        cell.length ? `var(--mantine-color-teal-${Math.min(1 + cell.length, 4)})` : undefined
                      }
                      data-testid={cell.length ? `matrix-${p.key}-${a}` : undefined}
                    >
                      {cell.length > 0 && (
                        <Inferred on={inferred} note={cell.find((r) => r.note)?.note ?? null}>
                          {ids.join(' ')}
                        </Inferred>
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <Table withTableBorder fz="sm" verticalSpacing={4} data-testid="mapping-rows">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('catalog.imdrfRequirement')}</Table.Th>
            <Table.Th>{t('catalog.approvalId')}</Table.Th>
            <Table.Th>{t('catalog.articleCol')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {m.rows
            .filter((r) => !principle || r.principle === principle)
            .map((r, i, shown) => {
              const text = texts.get(r.imdrf);
              // one IMDRF sentence spans several rows: print it once, where its group starts
              const first = i === 0 || shown[i - 1]!.imdrf !== r.imdrf;
              const span = first ? shown.slice(i).findIndex((x) => x.imdrf !== r.imdrf) : 0;
              return (
                <Table.Tr key={r.row}>
                  <Table.Td>
                    {/* an inferred IMDRF cell on a row whose sentence is printed above still shows its mark */}
                    <Inferred on={!first && r.inferred.includes('imdrf')} note={r.note}>
                      {r.row}
                    </Inferred>
                  </Table.Td>
                  {first && (
                    <Table.Td
                      rowSpan={span === -1 ? shown.length - i : span}
                      style={{ verticalAlign: 'top' }}
                    >
                      <Inferred on={r.inferred.includes('imdrf')} note={r.note}>
                        <Text size="xs">{text?.textEn}</Text>
                      </Inferred>
                      {text?.textKo && (
                        <Text size="xs" c="dimmed" lang="ko">
                          {text.textKo}
                        </Text>
                      )}
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Inferred on={r.inferred.includes('approvalId')} note={r.note}>
                      <b>{r.approvalId ?? '—'}</b>
                    </Inferred>{' '}
                    <Text span size="xs">
                      {r.approvalTitleKo}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.article !== null && (
                      <Inferred on={r.inferred.includes('article')} note={r.note}>
                        <Code
                          style={{ cursor: 'pointer' }}
                          onClick={() => onSelect(`mfds-2025:art-${r.article}`)}
                        >
                          {t('catalog.article', { n: r.article })} {r.articleTitleKo}
                        </Code>
                      </Inferred>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
};

export const TemplatesView = () => {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const templates = useLoad(
    () => get<{ items: (CatalogTemplate & { framework: string })[] }>('/api/v1/catalog/templates'),
    [],
  );
  return (
    <Stack data-testid="catalog-templates">
      <ErrorAlert error={templates.error} />
      {templates.data?.items.map((tp) => (
        <Card key={tp.key} withBorder>
          <Stack gap="xs">
            <Title order={4}>
              {en ? tp.titleEn : tp.titleKo} {tp.documentNo && <Code>{tp.documentNo}</Code>}
            </Title>
            {tp.sections.length > 0 && (
              <List size="sm">
                {tp.sections.map((s) => (
                  <List.Item key={s.no}>
                    {s.no}. {en ? (s.titleEn ?? s.titleKo) : s.titleKo}
                    {s.sections.length > 0 && (
                      <List size="xs" withPadding>
                        {s.sections.map((c) => (
                          <List.Item key={c.no}>
                            {c.no} {en ? (c.titleEn ?? c.titleKo) : c.titleKo}
                          </List.Item>
                        ))}
                      </List>
                    )}
                  </List.Item>
                ))}
              </List>
            )}
            {tp.roles.length > 0 && (
              <Group gap="xs">
                {tp.roles.map((r) => (
                  <Badge key={r.key} variant="light">
                    {en ? r.titleEn : r.titleKo}
                  </Badge>
                ))}
              </Group>
            )}
            {tp.documents.length > 0 && (
              <Table withTableBorder fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('catalog.docNumber')}</Table.Th>
                    <Table.Th>{t('catalog.docTitle')}</Table.Th>
                    <Table.Th>{t('catalog.docType')}</Table.Th>
                    <Table.Th>{t('catalog.retention')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {tp.documents.map((d) => (
                    <Table.Tr key={d.number}>
                      <Table.Td>
                        <Code>{d.number}</Code>
                      </Table.Td>
                      <Table.Td>{en ? d.titleEn : d.titleKo}</Table.Td>
                      <Table.Td>{t(`catalog.doctype_${d.type}`)}</Table.Td>
                      <Table.Td>{d.retentionKo ?? (d.retentionYears ? `${d.retentionYears}y` : '')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {tp.columns.length > 0 && (
              <ScrollArea>
                <Table withTableBorder withColumnBorders fz="xs" miw={700}>
                  <Table.Thead>
                    <Table.Tr>
                      {tp.columns.map((c) => (
                        <Table.Th key={c.key}>{en ? c.titleEn : c.titleKo}</Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {tp.rows.map((r) => (
                      <Table.Tr key={JSON.stringify(r.cells)}>
                        {tp.columns.map((c) => (
                          <Table.Td key={c.key}>
                            {(en ? r.cellsEn[c.key] : undefined) ?? r.cells[c.key]}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea>
            )}
            {(en ? tp.notesEn : tp.notesKo).map((n) => (
              <Text key={n} size="xs" c="dimmed">
                {n}
              </Text>
            ))}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
};

export const ServiceModelView = () => {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const model = useLoad(() => get<KisaModelFile>('/api/v1/catalog/service-model'), []);
  if (!model.data) {
    return <ErrorAlert error={model.error} />;
  }
  const m = model.data;
  const pick = (ko: string[], enList: string[]) => (en && enList.length ? enList : ko);
  return (
    <Stack data-testid="catalog-service-model">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {m.domains.map((d) => (
          <Card key={d.key} withBorder data-testid={`domain-${d.key}`}>
            <Title order={5}>{en ? d.titleEn : d.titleKo}</Title>
            {d.descriptionKo && (
              <Text size="sm">{en ? (d.descriptionEn ?? d.descriptionKo) : d.descriptionKo}</Text>
            )}
            {d.functionsKo.length > 0 && (
              <Text size="xs" mt="xs">
                <b>{t('catalog.functions')}:</b> {pick(d.functionsKo, d.functionsEn).join(', ')}
              </Text>
            )}
            {d.rolesKo.length > 0 && (
              <Text size="xs">
                <b>{t('catalog.roles')}:</b> {pick(d.rolesKo, d.rolesEn).join(', ')}
              </Text>
            )}
            {d.deviceExamplesKo.length > 0 && (
              <Text size="xs">
                <b>{t('catalog.deviceExamples')}:</b>{' '}
                {pick(d.deviceExamplesKo, d.deviceExamplesEn).join(', ')}
              </Text>
            )}
          </Card>
        ))}
      </SimpleGrid>
      {m.deviceRoleClasses.length > 0 && (
        <Card withBorder>
          <Title order={5}>{t('catalog.roleClasses')}</Title>
          <List size="sm">
            {m.deviceRoleClasses.map((c) => (
              <List.Item key={c.key}>
                <b>{en ? c.titleEn : c.titleKo}</b> {en ? (c.descriptionEn ?? '') : (c.descriptionKo ?? '')}
              </List.Item>
            ))}
          </List>
        </Card>
      )}
      {m.deviceTypes.length > 0 && (
        <Table withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('catalog.deviceType')}</Table.Th>
              <Table.Th>{t('catalog.domains')}</Table.Th>
              <Table.Th>OS</Table.Th>
              <Table.Th>{t('catalog.interfaces')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {m.deviceTypes.map((d) => (
              <Table.Tr key={d.key}>
                <Table.Td>{en ? d.titleEn : d.titleKo}</Table.Td>
                <Table.Td>{d.domains.join(', ')}</Table.Td>
                <Table.Td>{d.osKo.join(', ')}</Table.Td>
                <Table.Td>{d.interfacesKo.join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
};

interface ImportSummary {
  framework: string;
  created: number;
  changed: number;
  retired: number;
  skipped: boolean;
}

/** Lets a catalog manager add the organization's own framework (e.g. IEC 81001-5-1) from a YAML/JSON file. */
export const ImportFrameworkButton = ({ onImported }: { onImported: () => void }) => {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async (file: File | null) => {
    if (!file) {
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const summary = await post<ImportSummary>('/api/v1/catalog/frameworks', {
        fileName: file.name,
        content: await file.text(),
      });
      setResult(summary);
      onImported();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)} data-testid="catalog-import">
        {t('catalog.import')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('catalog.import')}>
        <Stack>
          <Text size="sm">{t('catalog.importHelp')}</Text>
          <FileButton onChange={upload} accept=".yaml,.yml,.json,application/json,application/yaml">
            {(props) => (
              <Button {...props} loading={busy}>
                {t('catalog.chooseFile')}
              </Button>
            )}
          </FileButton>
          <ErrorAlert error={error} />
          {result && (
            <Text size="sm" data-testid="catalog-import-result">
              {t(result.skipped ? 'catalog.importUnchanged' : 'catalog.importDone', { ...result })}
            </Text>
          )}
        </Stack>
      </Modal>
    </>
  );
};

import { Badge, Button, Card, Group, List, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { CompletenessReport, ComponentElement } from '@medsec/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { coverage, FDA_ELEMENTS, NTIA_ELEMENTS } from './sboms-api.ts';

/** How many missing components a list shows before "and N more". */
const SHOWN = 100;

const ElementRow = ({ report, element }: { report: CompletenessReport; element: ComponentElement }) => {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const entry = report.elements[element] ?? { present: 0, missing: [] };
  const total = report.componentCount;
  const value = coverage(report, element);
  const full = entry.missing.length === 0 && total > 0;
  return (
    <Stack gap={2} data-testid={`completeness-${element}`} data-present={entry.present} data-total={total}>
      <Group gap="sm" wrap="nowrap">
        <Text size="sm" w={200}>
          {t(`sboms.element_${element}`)}
        </Text>
        <Progress
          value={value}
          color={full ? 'teal' : value >= 80 ? 'yellow' : 'red'}
          size={14}
          style={{ flex: 1 }}
          aria-label={t(`sboms.element_${element}`)}
        />
        <Text size="xs" w={90} ta="right">
          {entry.present}/{total}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          disabled={entry.missing.length === 0}
          onClick={() => setOpen((o) => !o)}
          data-testid={`completeness-missing-toggle-${element}`}
          w={110}
        >
          {t('sboms.missingN', { count: entry.missing.length })}
        </Button>
      </Group>
      {open && (
        <List size="xs" ml={200} spacing={0} data-testid={`completeness-missing-${element}`}>
          {entry.missing.slice(0, SHOWN).map((m) => (
            <List.Item key={m.key}>
              {m.name}
              {m.version ? ` ${m.version}` : ''}
            </List.Item>
          ))}
          {entry.missing.length > SHOWN && (
            <List.Item>{t('sboms.andMore', { count: entry.missing.length - SHOWN })}</List.Item>
          )}
        </List>
      )}
    </Stack>
  );
};

const Verdict = ({ ok, label, testId }: { ok: boolean; label: string; testId: string }) => {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <Title order={5}>{label}</Title>
      <Badge color={ok ? 'teal' : 'orange'} data-testid={testId} data-complete={ok}>
        {ok ? t('sboms.complete') : t('sboms.incomplete')}
      </Badge>
    </Group>
  );
};

/**
 * The completeness of an SBOM: the NTIA minimum elements (per component, plus author and timestamp of the document)
 * and the FDA support fields, each as present/total with the components that lack it.
 */
export const CompletenessPanel = ({ report }: { report: CompletenessReport | null }) => {
  const { t } = useTranslation();
  if (!report) {
    return (
      <Text size="sm" c="dimmed">
        {t('sboms.noCompleteness')}
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, xl: 2 }} data-testid="completeness-panel">
      <Card withBorder>
        <Stack gap="sm">
          <Verdict ok={report.ntiaComplete} label={t('sboms.ntia')} testId="ntia-complete" />
          <Text size="xs" c="dimmed">
            {t('sboms.ntiaHelp')}
          </Text>
          {NTIA_ELEMENTS.map((e) => (
            <ElementRow key={e} report={report} element={e} />
          ))}
          <Group gap="lg">
            <Group gap={6} data-testid="completeness-author" data-present={report.document.author}>
              <Badge color={report.document.author ? 'teal' : 'red'} variant="light">
                {report.document.author ? '✓' : '✗'}
              </Badge>
              <Text size="sm">{t('sboms.docAuthor')}</Text>
            </Group>
            <Group gap={6} data-testid="completeness-timestamp" data-present={report.document.timestamp}>
              <Badge color={report.document.timestamp ? 'teal' : 'red'} variant="light">
                {report.document.timestamp ? '✓' : '✗'}
              </Badge>
              <Text size="sm">{t('sboms.docTimestamp')}</Text>
            </Group>
          </Group>
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="sm">
          <Verdict ok={report.fdaComplete} label={t('sboms.fda')} testId="fda-complete" />
          <Text size="xs" c="dimmed">
            {t('sboms.fdaHelp')}
          </Text>
          {FDA_ELEMENTS.map((e) => (
            <ElementRow key={e} report={report} element={e} />
          ))}
        </Stack>
      </Card>
    </SimpleGrid>
  );
};

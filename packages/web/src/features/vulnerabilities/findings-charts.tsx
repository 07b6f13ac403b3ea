import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  countBySeverity,
  countByState,
  type Finding,
  SEVERITIES,
  SEVERITY_CSS,
  STATE_CSS,
  VEX_STATES,
} from './findings-api.ts';

const ROW_H = 26;
const BAR_H = 16;
const LABEL_W = 130;
const CHART_W = 300;

/** Horizontal bars drawn in SVG to one count scale, each with its count; the row keys become test ids. */
const Bars = ({
  rows,
  label,
  testId,
}: {
  rows: { key: string; label: string; value: number; fill: string }[];
  label: string;
  testId: string;
}) => {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const width = LABEL_W + CHART_W + 50;
  const height = rows.length * ROW_H + 4;
  return (
    <svg
      width="100%"
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="xMinYMin meet"
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ maxWidth: width }}
    >
      {rows.map((r, i) => {
        const y = 2 + i * ROW_H;
        const w = r.value === 0 ? 0 : Math.max(2, (r.value / max) * CHART_W);
        return (
          <g key={r.key} data-testid={`${testId}-${r.key}`} data-count={r.value}>
            <text x={0} y={y + BAR_H - 3} fontSize={12}>
              {r.label}
            </text>
            <rect
              x={LABEL_W}
              y={y}
              width={CHART_W}
              height={BAR_H}
              fill="var(--mantine-color-gray-1)"
              rx={2}
            />
            <rect x={LABEL_W} y={y} width={w} height={BAR_H} fill={r.fill} rx={2}>
              <title>{`${r.label}: ${r.value}`}</title>
            </rect>
            <text x={LABEL_W + CHART_W + 8} y={y + BAR_H - 3} fontSize={12} fontWeight={600}>
              {r.value}
            </text>
          </g>
        );
      })}
    </svg>
  );
};

/** Open findings by severity, and all findings by VEX state, for the findings currently listed. */
export const FindingsCharts = ({ findings }: { findings: Finding[] }) => {
  const { t } = useTranslation();
  const bySeverity = countBySeverity(findings);
  const byState = countByState(findings);
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Card withBorder>
        <Stack gap="xs">
          <Title order={6}>{t('findings.chartSeverity')}</Title>
          <Bars
            label={t('findings.chartSeverity')}
            testId="severity-chart"
            rows={SEVERITIES.map((s) => ({
              key: s,
              label: t(`findings.severity_${s}`),
              value: bySeverity[s],
              fill: SEVERITY_CSS[s],
            }))}
          />
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="xs">
          <Title order={6}>{t('findings.chartState')}</Title>
          <Bars
            label={t('findings.chartState')}
            testId="state-chart"
            rows={VEX_STATES.map((s) => ({
              key: s,
              label: t(`findings.state_${s}`),
              value: byState[s],
              fill: STATE_CSS[s],
            }))}
          />
          {findings.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('findings.empty')}
            </Text>
          )}
        </Stack>
      </Card>
    </SimpleGrid>
  );
};

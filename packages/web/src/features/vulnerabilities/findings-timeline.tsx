import {
  Card,
  Group,
  Loader,
  NativeSelect,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { FindingsSeriesResponse } from '@medsec/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, query } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { bandPath, labelIndexes, linear, linePath, niceTicks, stack } from './chart-scale.ts';
import { SEVERITIES, SEVERITY_CSS, type Severity } from './findings-api.ts';

type Point = FindingsSeriesResponse['points'][number];

const W = 640;
const H = 230;
const M = { top: 12, right: 14, bottom: 30, left: 40 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;
const RANGES = [30, 90, 180, 365] as const;

/** Short day label on the axis (`3. 1.` / `1 Mar`), in UTC like the series. */
const dayLabel = (iso: string, locale: string): string =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString(locale === 'ko' ? 'ko-KR' : 'en-GB', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

/** Axes shared by both charts: y grid with round ticks, x labels at a few dates. */
const Axes = ({ points, max, locale }: { points: Point[]; max: number; locale: string }) => {
  const ticks = niceTicks(max);
  const top = ticks.at(-1) ?? 1;
  const y = linear([0, top], [M.top + PLOT_H, M.top]);
  const x = linear([0, Math.max(1, points.length - 1)], [M.left, M.left + PLOT_W]);
  return (
    <g>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={M.left} x2={M.left + PLOT_W} y1={y(v)} y2={y(v)} stroke="var(--mantine-color-gray-3)" />
          <text x={M.left - 6} y={y(v) + 4} fontSize={11} textAnchor="end" fill="var(--mantine-color-dimmed)">
            {v}
          </text>
        </g>
      ))}
      {labelIndexes(points.length).map((i) => (
        <text
          key={i}
          x={x(i)}
          y={H - 10}
          fontSize={11}
          textAnchor={i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle'}
          fill="var(--mantine-color-dimmed)"
        >
          {dayLabel(points[i]!.date, locale)}
        </text>
      ))}
    </g>
  );
};

const Legend = ({ items }: { items: { key: string; label: string; color: string; dashed?: boolean }[] }) => (
  <Group gap="md" aria-hidden="true">
    {items.map((it) => (
      <Group key={it.key} gap={4} wrap="nowrap">
        <svg width={18} height={10} aria-hidden="true">
          {it.dashed ? (
            <line x1={0} x2={18} y1={5} y2={5} stroke={it.color} strokeWidth={2} strokeDasharray="4 3" />
          ) : (
            <rect width={18} height={10} rx={2} fill={it.color} />
          )}
        </svg>
        <Text size="xs">{it.label}</Text>
      </Group>
    ))}
  </Group>
);

/** Open findings per severity over time, stacked (critical at the bottom). */
const SeverityArea = ({ points, title, desc }: { points: Point[]; title: string; desc: string }) => {
  const { i18n } = useTranslation();
  const id = useId();
  const max = Math.max(1, ...points.map((p) => p.total));
  const top = niceTicks(max).at(-1) ?? 1;
  const y = linear([0, top], [M.top + PLOT_H, M.top]);
  const x = linear([0, Math.max(1, points.length - 1)], [M.left, M.left + PLOT_W]);
  const xs = points.map((_, i) => x(i));
  const layers = stack(SEVERITIES.map((s) => points.map((p) => p.open[s])));
  const last = points.at(-1);
  return (
    <svg
      width="100%"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      data-testid="timeline-chart"
      data-points={points.length}
      data-last-total={last?.total ?? 0}
      style={{ maxWidth: W }}
    >
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      <Axes points={points} max={max} locale={i18n.language} />
      {SEVERITIES.map((s, li) => (
        <path
          key={s}
          d={bandPath(
            xs,
            layers[li]!.map(([, u]) => y(u)),
            layers[li]!.map(([l]) => y(l)),
          )}
          fill={SEVERITY_CSS[s]}
          fillOpacity={0.85}
          data-testid={`timeline-layer-${s}`}
          data-last={last?.open[s] ?? 0}
        />
      ))}
    </svg>
  );
};

/** The burn-down: open findings against the deadline line, with the overdue part in red. */
const BurnDown = ({ points, title, desc }: { points: Point[]; title: string; desc: string }) => {
  const { i18n } = useTranslation();
  const id = useId();
  const max = Math.max(1, ...points.map((p) => Math.max(p.total, p.dueLine)));
  const top = niceTicks(max).at(-1) ?? 1;
  const y = linear([0, top], [M.top + PLOT_H, M.top]);
  const x = linear([0, Math.max(1, points.length - 1)], [M.left, M.left + PLOT_W]);
  const xs = points.map((_, i) => x(i));
  const last = points.at(-1);
  return (
    <svg
      width="100%"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      data-testid="burndown-chart"
      data-last-open={last?.total ?? 0}
      data-last-due={last?.dueLine ?? 0}
      data-last-overdue={last?.overdue ?? 0}
      style={{ maxWidth: W }}
    >
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      <Axes points={points} max={max} locale={i18n.language} />
      <path
        d={bandPath(
          xs,
          points.map((p) => y(p.overdue)),
          points.map(() => y(0)),
        )}
        fill="var(--mantine-color-red-6)"
        fillOpacity={0.35}
      />
      <path
        d={linePath(
          xs,
          points.map((p) => y(p.dueLine)),
        )}
        fill="none"
        stroke="var(--mantine-color-blue-6)"
        strokeWidth={2}
        strokeDasharray="6 4"
      />
      <path
        d={linePath(
          xs,
          points.map((p) => y(p.total)),
        )}
        fill="none"
        stroke="var(--mantine-color-dark-6)"
        strokeWidth={2}
      />
      {points.map((p, i) =>
        p.overdue > 0 && (i === points.length - 1 || p.overdue !== points[i + 1]?.overdue) ? (
          <circle key={p.date} cx={xs[i]} cy={y(p.total)} r={3} fill="var(--mantine-color-red-7)">
            <title>{`${p.date}: ${p.overdue}`}</title>
          </circle>
        ) : null,
      )}
    </svg>
  );
};

/**
 * Findings over time for the page's product or release (or the whole organization): open findings per severity,
 * and the burn-down against the deadline line with overdue findings highlighted (MFDS 2025 art. 20). A table of the
 * same numbers is available under each chart for screen readers and exact values.
 */
export const FindingsTimeline = ({
  productId,
  releaseId,
  tick,
}: {
  productId: string;
  releaseId: string;
  tick: number;
}) => {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState<(typeof RANGES)[number]>(90);
  const [bucket, setBucket] = useState<'day' | 'week'>('day');
  const q = query({ productId: productId || undefined, releaseId: releaseId || undefined, days, bucket });
  const series = useLoad(() => get<FindingsSeriesResponse>(`/api/v1/findings/series${q}`), [q, tick]);
  const points = series.data?.points ?? [];
  const last = points.at(-1);
  const scope = releaseId
    ? t('timeline.scopeRelease')
    : productId
      ? t('timeline.scopeProduct')
      : t('timeline.scopeAll');
  const range = series.data ? t('timeline.range', { from: series.data.from, to: series.data.to }) : '';
  return (
    <Card withBorder data-testid="findings-timeline">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={5}>{t('timeline.title')}</Title>
            <Text size="xs" c="dimmed">
              {scope} · {range}
            </Text>
          </div>
          <Group gap="xs" align="flex-end">
            <NativeSelect
              size="xs"
              label={t('timeline.period')}
              value={String(days)}
              onChange={(e) => setDays(Number(e.currentTarget.value) as (typeof RANGES)[number])}
              data={RANGES.map((d) => ({ value: String(d), label: t('timeline.days', { count: d }) }))}
              data-testid="timeline-days"
            />
            <SegmentedControl
              size="xs"
              value={bucket}
              onChange={(v) => setBucket(v as 'day' | 'week')}
              data={[
                { value: 'day', label: t('timeline.bucket_day') },
                { value: 'week', label: t('timeline.bucket_week') },
              ]}
              data-testid="timeline-bucket"
            />
          </Group>
        </Group>
        <ErrorAlert error={series.error} />
        {!series.data && !series.error && <Loader size="sm" />}
        {series.data && (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('timeline.severityTitle')}
              </Text>
              <SeverityArea
                points={points}
                title={t('timeline.severityTitle')}
                desc={t('timeline.severityDesc', { range, total: last?.total ?? 0 })}
              />
              <Legend
                items={[...SEVERITIES].reverse().map((s: Severity) => ({
                  key: s,
                  label: t(`findings.severity_${s}`),
                  color: SEVERITY_CSS[s],
                }))}
              />
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('timeline.burndownTitle')}
              </Text>
              <BurnDown
                points={points}
                title={t('timeline.burndownTitle')}
                desc={t('timeline.burndownDesc', {
                  range,
                  open: last?.total ?? 0,
                  due: last?.dueLine ?? 0,
                  overdue: last?.overdue ?? 0,
                })}
              />
              <Legend
                items={[
                  { key: 'open', label: t('timeline.openLine'), color: 'var(--mantine-color-dark-6)' },
                  {
                    key: 'due',
                    label: t('timeline.dueLine'),
                    color: 'var(--mantine-color-blue-6)',
                    dashed: true,
                  },
                  { key: 'overdue', label: t('timeline.overdueArea'), color: 'var(--mantine-color-red-6)' },
                ]}
              />
            </Stack>
          </SimpleGrid>
        )}
        {series.data && (
          <details data-testid="timeline-data">
            <summary>
              <Text span size="xs" c="dimmed">
                {t('timeline.showData')}
              </Text>
            </summary>
            <Table fz="xs" withTableBorder mt="xs">
              <caption>{t('timeline.title')}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('timeline.date')}</Table.Th>
                  {SEVERITIES.map((s) => (
                    <Table.Th key={s}>{t(`findings.severity_${s}`)}</Table.Th>
                  ))}
                  <Table.Th>{t('timeline.openLine')}</Table.Th>
                  <Table.Th>{t('timeline.dueLine')}</Table.Th>
                  <Table.Th>{t('timeline.overdueArea')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {points
                  .filter((_, i) => bucket === 'week' || (points.length - 1 - i) % 7 === 0)
                  .map((p) => (
                    <Table.Tr key={p.date}>
                      <Table.Td>{dayLabel(p.date, i18n.language)}</Table.Td>
                      {SEVERITIES.map((s) => (
                        <Table.Td key={s}>{p.open[s]}</Table.Td>
                      ))}
                      <Table.Td>{p.total}</Table.Td>
                      <Table.Td>{p.dueLine}</Table.Td>
                      <Table.Td c={p.overdue > 0 ? 'red' : undefined}>{p.overdue}</Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          </details>
        )}
      </Stack>
    </Card>
  );
};

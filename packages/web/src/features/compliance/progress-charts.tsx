import { Group, Progress, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import type { ItemStatus } from '@medsec/core';
import { useTranslation } from 'react-i18next';
import { ITEM_STATUSES, type ProgressBucket, percent } from '../products/products-api.ts';
import { STATUS_COLOR } from './labels.tsx';

export interface ArticleInfo {
  article: number;
  titleKo: string | null;
  titleEn: string | null;
}

export const StatusLegend = () => {
  const { t } = useTranslation();
  return (
    <Group gap="md" data-testid="status-legend">
      {ITEM_STATUSES.map((s) => (
        <Group key={s} gap={4} wrap="nowrap">
          <span
            style={{
              display: 'inline-block',
              width: 12,
              height: 12,
              borderRadius: 2,
              background: STATUS_COLOR[s].css,
            }}
          />
          <Text size="xs">{t(`compliance.status_${s}`)}</Text>
        </Group>
      ))}
    </Group>
  );
};

const tooltipOf = (b: ProgressBucket, t: (k: string) => string) =>
  ITEM_STATUSES.filter((s) => b.byStatus[s] > 0)
    .map((s) => `${t(`compliance.status_${s}`)}: ${b.byStatus[s]}`)
    .join(' · ');

/**
 * One bar per MFDS article (all 22, in order): the applicable items split by status, coloured as in the legend,
 * with "verified / total". Articles with nothing applicable are shown greyed. Clicking a bar filters the items.
 */
export const ArticleBars = ({
  articles,
  buckets,
  onSelect,
}: {
  articles: ArticleInfo[];
  buckets: ProgressBucket[];
  onSelect: (article: number) => void;
}) => {
  const { t, i18n } = useTranslation();
  const byKey = new Map(buckets.map((b) => [b.key, b]));
  return (
    <Stack gap={6} data-testid="article-bars">
      {articles.map((a) => {
        const b = byKey.get(String(a.article));
        const title = (i18n.language === 'en' ? (a.titleEn ?? a.titleKo) : a.titleKo) ?? '';
        return (
          <UnstyledButton
            key={a.article}
            onClick={() => b && onSelect(a.article)}
            disabled={!b}
            data-testid={`article-bar-${a.article}`}
            data-verified={b ? b.byStatus.verified : 0}
            data-total={b ? b.total : 0}
          >
            <Group gap="sm" wrap="nowrap">
              <Text size="sm" w={240} truncate c={b ? undefined : 'dimmed'}>
                {t('catalog.article', { n: a.article })} {title}
              </Text>
              {b ? (
                <Tooltip label={tooltipOf(b, t)}>
                  <Progress.Root size={16} style={{ flex: 1 }}>
                    {ITEM_STATUSES.map((s: ItemStatus) =>
                      b.byStatus[s] > 0 ? (
                        <Progress.Section
                          key={s}
                          value={(b.byStatus[s] / b.total) * 100}
                          color={STATUS_COLOR[s].theme}
                        />
                      ) : null,
                    )}
                  </Progress.Root>
                </Tooltip>
              ) : (
                <Progress value={0} size={16} style={{ flex: 1 }} />
              )}
              <Text size="xs" w={110} ta="right" c={b ? undefined : 'dimmed'}>
                {b
                  ? `${b.byStatus.verified}/${b.total} · ${percent(b.verifiedPercent)}`
                  : t('compliance.nothingApplies')}
              </Text>
            </Group>
          </UnstyledButton>
        );
      })}
    </Stack>
  );
};

const BAR_H = 18;
const ROW_H = 28;
const LABEL_W = 250;
const CHART_W = 460;

/**
 * A stacked bar per group (MFDS chapters and KISA requirement groups), drawn in SVG to the same count scale so
 * larger groups read larger; each segment is a status.
 */
export const GroupChart = ({ buckets }: { buckets: ProgressBucket[] }) => {
  const { t } = useTranslation();
  if (buckets.length === 0) {
    return null;
  }
  const max = Math.max(...buckets.map((b) => b.total), 1);
  const height = buckets.length * ROW_H + 8;
  const width = LABEL_W + CHART_W + 90;
  return (
    <div style={{ overflowX: 'auto' }}>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={t('compliance.byGroup')}
        data-testid="group-chart"
      >
        {buckets.map((b, row) => {
          const [framework, group] = b.key.split(':');
          const y = 4 + row * ROW_H;
          let x = LABEL_W;
          return (
            <g key={b.key} data-testid={`group-bar-${b.key}`}>
              <text x={0} y={y + BAR_H - 4} fontSize={12}>
                {framework === 'kisa-healthcare' ? 'KISA · ' : 'MFDS · '}
                {t(`catalog.group_${group}`, { defaultValue: group ?? b.key })}
              </text>
              {ITEM_STATUSES.map((s) => {
                const n = b.byStatus[s];
                if (n === 0) {
                  return null;
                }
                const w = (n / max) * CHART_W;
                const rect = (
                  <rect key={s} x={x} y={y} width={w} height={BAR_H} fill={STATUS_COLOR[s].css}>
                    <title>{`${t(`compliance.status_${s}`)}: ${n}`}</title>
                  </rect>
                );
                x += w;
                return rect;
              })}
              <text x={x + 6} y={y + BAR_H - 4} fontSize={11} fill="var(--mantine-color-dimmed)">
                {`${b.byStatus.verified}/${b.total}`}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
};

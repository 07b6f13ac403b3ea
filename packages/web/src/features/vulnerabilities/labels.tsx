import { Badge, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SEVERITY_COLOR, type Severity, STATE_COLOR, type VexState } from './findings-api.ts';

export const SeverityBadge = ({ severity }: { severity: Severity }) => {
  const { t } = useTranslation();
  return (
    <Badge color={SEVERITY_COLOR[severity]} variant="filled" autoContrast data-severity={severity}>
      {t(`findings.severity_${severity}`)}
    </Badge>
  );
};

export const StateBadge = ({ state }: { state: VexState }) => {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLOR[state]} variant="light" tt="none">
      {t(`findings.state_${state}`)}
    </Badge>
  );
};

/** EPSS probability as a percentage, with its percentile in a tooltip. */
export const EpssText = ({ epss, percentile }: { epss: number | null; percentile: number | null }) => {
  const { t } = useTranslation();
  if (epss === null) {
    return <Text size="sm">—</Text>;
  }
  const text = `${(epss * 100).toFixed(epss < 0.01 ? 2 : 1)}%`;
  return percentile === null ? (
    <Text size="sm">{text}</Text>
  ) : (
    <Tooltip label={t('findings.epssPercentile', { p: Math.round(percentile * 100) })}>
      <Text size="sm">{text}</Text>
    </Tooltip>
  );
};

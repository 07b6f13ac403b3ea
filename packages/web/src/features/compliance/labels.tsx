import { Badge } from '@mantine/core';
import type { ItemStatus } from '@medsec/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

/** Colours of the assessment statuses, as theme colours (Mantine) and CSS variables (SVG). */
export const STATUS_COLOR: Record<ItemStatus, { theme: string; css: string }> = {
  'not-started': { theme: 'gray.4', css: 'var(--mantine-color-gray-4)' },
  'in-progress': { theme: 'blue.5', css: 'var(--mantine-color-blue-5)' },
  implemented: { theme: 'yellow.5', css: 'var(--mantine-color-yellow-5)' },
  verified: { theme: 'teal.6', css: 'var(--mantine-color-teal-6)' },
  'not-applicable': { theme: 'grape.3', css: 'var(--mantine-color-grape-3)' },
};

const OBLIGATION_COLOR: Record<string, string> = {
  mandatory: 'red',
  recommended: 'blue',
  mixed: 'grape',
  none: 'gray',
};

export const StatusBadge = ({ status }: { status: ItemStatus }) => {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status].theme} variant="filled" autoContrast>
      {t(`compliance.status_${status}`)}
    </Badge>
  );
};

export const ObligationTag = ({ value }: { value: string }) => {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={OBLIGATION_COLOR[value] ?? 'gray'}>
      {t(`catalog.ob_${value}`, { defaultValue: value })}
    </Badge>
  );
};

/**
 * A catalog reference for people: `mfds-2025:art-4:item-1` → "제4조 제1호" / "Art. 4 Item 1";
 * `kisa-healthcare:dev-1.1.1` → "KISA 1.1.1"; anything else without its framework prefix.
 */
export const refLabel = (ref: string, t: TFunction): string => {
  const [framework, ...rest] = ref.split(':');
  if (framework === 'mfds-2025') {
    return rest
      .map((seg) => {
        const m = /^(art|cl|item)-(\d+)$/.exec(seg);
        if (!m) {
          return seg;
        }
        const key = m[1] === 'art' ? 'catalog.article' : m[1] === 'cl' ? 'catalog.clause' : 'catalog.item';
        return t(key, { n: m[2] });
      })
      .join(' ');
  }
  if (framework === 'kisa-healthcare') {
    return `KISA ${rest.join(':').replace(/^dev-/, '')}`;
  }
  return rest.join(':') || ref;
};

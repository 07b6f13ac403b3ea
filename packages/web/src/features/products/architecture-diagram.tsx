import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ArchitectureElement, DataFlow, ElementKind } from './products-api.ts';

/** Left to right: who is outside, the device's hardware and interfaces, its software, then cloud and data stores. */
const COLUMN: Record<ElementKind, number> = {
  'external-entity': 0,
  hardware: 1,
  interface: 1,
  software: 2,
  'third-party': 2,
  'cloud-service': 3,
  'data-store': 3,
};
const FILL: Record<ElementKind, string> = {
  'external-entity': 'var(--mantine-color-gray-1)',
  hardware: 'var(--mantine-color-indigo-0)',
  interface: 'var(--mantine-color-cyan-0)',
  software: 'var(--mantine-color-teal-0)',
  'third-party': 'var(--mantine-color-yellow-0)',
  'cloud-service': 'var(--mantine-color-blue-0)',
  'data-store': 'var(--mantine-color-grape-0)',
};
const NODE_W = 160;
const NODE_H = 46;
const COL_GAP = 230;
const ROW_GAP = 78;
const PAD = 24;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The release's architecture drawn as boxes and arrows: personal-data flows in red, unencrypted flows dashed,
 * flows across a trust boundary in orange. Layout is a fixed column per element kind (no layout library).
 */
export const ArchitectureDiagram = ({
  elements,
  flows,
}: {
  elements: ArchitectureElement[];
  flows: DataFlow[];
}) => {
  const { t } = useTranslation();
  if (elements.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('products.architectureEmpty')}
      </Text>
    );
  }
  const rows = [0, 0, 0, 0];
  const pos = new Map<string, { x: number; y: number }>();
  for (const e of elements) {
    const col = COLUMN[e.kind];
    const row = rows[col] ?? 0;
    rows[col] = row + 1;
    pos.set(e.id, { x: PAD + col * COL_GAP, y: PAD + 18 + row * ROW_GAP });
  }
  const height = PAD * 2 + 18 + Math.max(...rows, 1) * ROW_GAP;
  const width = PAD * 2 + 3 * COL_GAP + NODE_W;
  const colour = (f: DataFlow) =>
    f.personalData
      ? 'var(--mantine-color-red-6)'
      : f.crossesTrustBoundary
        ? 'var(--mantine-color-orange-6)'
        : 'var(--mantine-color-gray-6)';
  return (
    <div style={{ overflowX: 'auto' }}>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={t('products.diagram')}
        data-testid="architecture-diagram"
      >
        <defs>
          {['gray', 'red', 'orange'].map((c) => (
            <marker
              key={c}
              id={`arrow-${c}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill={`var(--mantine-color-${c}-6)`} />
            </marker>
          ))}
        </defs>
        {(['external-entity', 'hardware', 'software', 'cloud-service'] as const).map((k, i) => (
          <text key={k} x={PAD + i * COL_GAP} y={PAD} fontSize={11} fill="var(--mantine-color-dimmed)">
            {t(`products.column_${i}`)}
          </text>
        ))}
        {flows.map((f, index) => {
          const a = pos.get(f.fromId);
          const b = pos.get(f.toId);
          if (!a || !b) {
            return null;
          }
          const forward = b.x >= a.x;
          const x1 = a.x + (forward ? NODE_W : 0);
          const x2 = b.x + (forward ? 0 : NODE_W);
          const y1 = a.y + NODE_H / 2;
          const y2 = b.y + NODE_H / 2;
          // same column: bow out to the right; otherwise a gentle curve, offset per flow so parallels separate
          const sameColumn = a.x === b.x;
          const bend = sameColumn ? 60 + (index % 3) * 14 : ((index % 3) - 1) * 16;
          const cx = sameColumn ? a.x + NODE_W + bend : (x1 + x2) / 2;
          const cy = sameColumn ? (y1 + y2) / 2 : (y1 + y2) / 2 + bend;
          const sx = sameColumn ? a.x + NODE_W : x1;
          const ex = sameColumn ? b.x + NODE_W : x2;
          const c = f.personalData ? 'red' : f.crossesTrustBoundary ? 'orange' : 'gray';
          return (
            <g key={f.id} data-testid={`diagram-flow-${f.name}`}>
              <path
                d={`M ${sx} ${y1} Q ${cx} ${cy} ${ex} ${y2}`}
                fill="none"
                stroke={colour(f)}
                strokeWidth={1.6}
                strokeDasharray={f.encrypted ? undefined : '5 4'}
                markerEnd={`url(#arrow-${c})`}
              />
              <text
                x={(sx + ex) / 2 + (sameColumn ? bend / 2 : 0)}
                y={(y1 + y2) / 2 + (sameColumn ? 0 : bend / 2) - 4}
                fontSize={10}
                textAnchor="middle"
                fill={colour(f)}
              >
                {clip(`${f.name}${f.protocol ? ` (${f.protocol})` : ''}`, 30)}
              </text>
            </g>
          );
        })}
        {elements.map((e) => {
          const p = pos.get(e.id)!;
          return (
            <g key={e.id} data-testid={`diagram-element-${e.name}`}>
              <rect
                x={p.x}
                y={p.y}
                width={NODE_W}
                height={NODE_H}
                rx={6}
                fill={FILL[e.kind]}
                stroke={e.personalData ? 'var(--mantine-color-red-6)' : 'var(--mantine-color-gray-5)'}
                strokeWidth={e.personalData ? 1.6 : 1}
              />
              <text x={p.x + 8} y={p.y + 19} fontSize={12} fontWeight={600}>
                {clip(e.name, 22)}
              </text>
              <text x={p.x + 8} y={p.y + 36} fontSize={10} fill="var(--mantine-color-dimmed)">
                {clip(
                  `${t(`products.element_${e.kind}`)}${e.interface ? ` · ${t(`products.interface_${e.interface}`)}` : ''}`,
                  28,
                )}
              </text>
            </g>
          );
        })}
      </svg>
      <Group gap="md" mt={4}>
        <Text size="xs" c="red.7">
          ━ {t('products.legendPersonal')}
        </Text>
        <Text size="xs" c="orange.7">
          ━ {t('products.legendBoundary')}
        </Text>
        <Text size="xs" c="dimmed">
          ┅ {t('products.legendUnencrypted')}
        </Text>
      </Group>
    </div>
  );
};

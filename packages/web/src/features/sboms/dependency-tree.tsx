import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Loader,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import type { DependencyLevel, DependencyNode } from '@medsec/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, query } from '../../api/client.ts';
import { ErrorAlert } from '../../ui/errors.tsx';
import { useLoad } from '../../ui/use-load.ts';

const LIMIT = 100;

/** The label of a node: `group/name version`, or the key when it is no component (the SBOM's subject). */
const labelOf = (n: DependencyNode, subject: string): string =>
  n.component
    ? `${n.component.group ? `${n.component.group}/` : ''}${n.component.name}${n.component.version ? ` ${n.component.version}` : ''}`
    : `${subject} (${n.key})`;

/**
 * Children of one node (or the roots), loaded when shown, a page at a time ("show more"): large graphs are never
 * loaded whole. `path` holds the keys above; a child already on it closes a cycle and is shown but not opened.
 */
const Level = ({
  sbomId,
  parent,
  path,
  depth,
  tick,
  reveal,
}: {
  sbomId: string;
  parent: string | null;
  path: readonly string[];
  depth: number;
  tick: number;
  /** Keys from a root to a component to show: the tree opens along them (and pages on until it finds them). */
  reveal: readonly string[] | undefined;
}) => {
  const { t } = useTranslation();
  // pages after the first ("show more"); a reload of the first page starts over
  const [extra, setExtra] = useState<DependencyNode[]>([]);
  const [more, setMore] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  const first = useLoad(
    () =>
      get<DependencyLevel>(
        `/api/v1/sboms/${sbomId}/dependencies${query({ parent: parent ?? undefined, limit: LIMIT })}`,
      ),
    [sbomId, parent, tick],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new first page drops the pages loaded after it
  useEffect(() => setExtra([]), [first.data]);
  const items = first.data ? [...first.data.items, ...extra] : [];
  const total = first.data?.total ?? 0;
  const wanted = reveal?.[depth];
  const missing =
    wanted !== undefined &&
    first.data !== undefined &&
    !items.some((n) => n.key === wanted) &&
    items.length < total;
  const loadMore = async () => {
    setMore({ busy: true, error: null });
    try {
      const next = await get<DependencyLevel>(
        `/api/v1/sboms/${sbomId}/dependencies${query({ parent: parent ?? undefined, limit: LIMIT, offset: items.length })}`,
      );
      setExtra((e) => [...e, ...next.items]);
      setMore({ busy: false, error: null });
    } catch (error) {
      setMore({ busy: false, error });
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: page on while the node to show is not loaded yet
  useEffect(() => {
    if (missing && !more.busy && more.error === null) {
      void loadMore();
    }
  }, [missing, items.length, more.busy]);
  if (!first.data) {
    return first.error ? <ErrorAlert error={first.error} /> : <Loader size="xs" ml={depth * 20} />;
  }
  return (
    <>
      {items.map((n) => (
        <Node
          key={n.key}
          sbomId={sbomId}
          node={n}
          path={path}
          depth={depth}
          tick={tick}
          reveal={n.key === wanted ? reveal : undefined}
        />
      ))}
      {items.length < total && (
        <li style={{ paddingLeft: depth * 20 + 28, listStyle: 'none' }}>
          <Button
            size="compact-xs"
            variant="subtle"
            loading={more.busy}
            onClick={() => void loadMore()}
            data-testid="dep-more"
          >
            {t('explorer.showMore', { count: total - items.length })}
          </Button>
          <ErrorAlert error={more.error} />
        </li>
      )}
    </>
  );
};

const Node = ({
  sbomId,
  node,
  path,
  depth,
  tick,
  reveal,
}: {
  sbomId: string;
  node: DependencyNode;
  path: readonly string[];
  depth: number;
  tick: number;
  /** Set when this node is on the way to the component to show. */
  reveal: readonly string[] | undefined;
}) => {
  const { t } = useTranslation();
  const isTarget = reveal !== undefined && depth === reveal.length - 1;
  const [open, setOpen] = useState(reveal !== undefined && !isTarget);
  const target = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (isTarget) {
      target.current?.scrollIntoView({ block: 'center' });
    }
  }, [isTarget]);
  const cycle = path.includes(node.key);
  const canOpen = node.childCount > 0 && !cycle;
  const label = labelOf(node, t('explorer.subject'));
  const name = node.component?.name ?? node.key;
  return (
    <li
      data-testid={`dep-node-${name}`}
      data-key={node.key}
      data-depth={depth}
      data-open-findings={node.openFindings}
      data-findings-below={node.findingsBelow}
      data-children={node.childCount}
      data-cycle={cycle}
      data-expanded={open}
      data-revealed={isTarget}
      ref={target}
      style={{ listStyle: 'none' }}
    >
      <Group gap={6} wrap="nowrap" pl={depth * 20} py={2} bg={isTarget ? 'yellow.1' : undefined}>
        {canOpen ? (
          <ActionIcon
            size="sm"
            variant="subtle"
            onClick={() => setOpen((o) => !o)}
            aria-label={
              open ? t('explorer.collapse', { name: label }) : t('explorer.expand', { name: label })
            }
            data-testid="dep-toggle"
          >
            {open ? '▾' : '▸'}
          </ActionIcon>
        ) : (
          <span style={{ display: 'inline-block', width: 22, textAlign: 'center' }} aria-hidden="true">
            {cycle ? '↻' : '·'}
          </span>
        )}
        <UnstyledButton onClick={() => canOpen && setOpen((o) => !o)} tabIndex={-1}>
          <Text size="sm" fw={node.component ? 500 : 700} c={node.component ? undefined : 'dimmed'}>
            {label}
          </Text>
        </UnstyledButton>
        {node.component && (
          <Badge size="xs" variant="light" color="gray" tt="none">
            {t(`explorer.type_${node.component.type}`, { defaultValue: node.component.type })}
          </Badge>
        )}
        {node.childCount > 0 && (
          <Text size="xs" c="dimmed">
            {t('explorer.children', { count: node.childCount })}
          </Text>
        )}
        {node.openFindings > 0 && (
          <Badge size="sm" color="red" data-testid="dep-findings">
            {t('explorer.openFindings', { count: node.openFindings })}
          </Badge>
        )}
        {node.findingsBelow && (
          <Tooltip label={t('explorer.findingsBelowHelp')}>
            <Badge size="sm" color="orange" variant="light" data-testid="dep-findings-below">
              {t('explorer.findingsBelow')}
            </Badge>
          </Tooltip>
        )}
        {cycle && (
          <Badge size="sm" color="grape" variant="light" data-testid="dep-cycle">
            {t('explorer.cycle')}
          </Badge>
        )}
      </Group>
      {open && (
        <ul style={{ margin: 0, padding: 0 }}>
          <Level
            sbomId={sbomId}
            parent={node.key}
            path={[...path, node.key]}
            depth={depth + 1}
            tick={tick}
            reveal={reveal}
          />
        </ul>
      )}
    </li>
  );
};

/**
 * The dependency graph of an SBOM as a tree: roots first (what nothing depends on, plus one node of each cycle that
 * nothing reaches), each opened on demand. Red: the component's own open findings; orange: some component below it
 * has open findings; a repeated key closes a cycle and stops there.
 */
export const DependencyTree = ({
  sbomId,
  tick,
  reveal,
}: {
  sbomId: string;
  tick: number;
  reveal?: readonly string[] | undefined;
}) => {
  const { t } = useTranslation();
  const roots = useLoad(
    () => get<DependencyLevel>(`/api/v1/sboms/${sbomId}/dependencies${query({ limit: 1 })}`),
    [sbomId, tick],
  );
  return (
    <Stack gap="xs">
      {roots.data && (
        <Text
          size="sm"
          c="dimmed"
          data-testid="dep-graph"
          data-nodes={roots.data.graph.nodes}
          data-edges={roots.data.graph.edges}
          data-roots={roots.data.graph.roots}
        >
          {t('explorer.graph', roots.data.graph)}
          {roots.data.graph.edges === 0 ? ` · ${t('explorer.noEdges')}` : ''}
        </Text>
      )}
      <ErrorAlert error={roots.error} />
      <ul aria-label={t('explorer.viewTree')} data-testid="dep-tree" style={{ margin: 0, padding: 0 }}>
        <Level sbomId={sbomId} parent={null} path={[]} depth={0} tick={tick} reveal={reveal} />
      </ul>
    </Stack>
  );
};

/**
 * Helps build catalog/mfds-2025/requirements.yaml from the seed text (seed 001). The YAML is the product:
 * regenerate, diff, review, commit. English lives in en.yaml (written by us), merged at import.
 *
 *   node catalog/tools/extract-mfds.ts [seed-file] > catalog/mfds-2025/requirements.yaml
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { obligationOf } from '@medsec/core';
import { stringify } from 'yaml';

const SEED =
  process.argv[2] ?? join(process.env.MEDSEC_SEEDS_DIR ?? '../shared/seeds', '001_661d32929660fd05.txt');
const lines = readFileSync(SEED, 'utf8').split('\n');

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮';
const GROUPS: { from: number; to: number; group: string }[] = [
  { from: 1, to: 2, group: 'general' },
  { from: 3, to: 5, group: 'physical-security' },
  { from: 6, to: 12, group: 'technical-security' },
  { from: 13, to: 16, group: 'risk-management' },
  { from: 17, to: 19, group: 'intrusion-response' },
  { from: 20, to: 22, group: 'vulnerability-management' },
];
// The guideline's groups (Ch. II): arts. 3–5 물리적 보안 체계; 6–12 기술적 보안 체계; 13–16 위험 관리;
// 17–19 침해행위 대응; 20–22 취약점 감시 및 대응. Note: the article text itself numbers 3 physical, 4 communication,
// 5 authorization — the issue groups arts. 3–5 as the physical security system, as the guideline's table of contents does.

/** The actor a provision binds: the subject of its sentence (은/는), else the manufacturer. */
const actorOf = (text: string): string[] => {
  const t = text.replace(/\s+/g, '');
  const m = /(디지털의료기기제조업자등|의료서비스제공자)(및의료서비스제공자)?(은|는)/.exec(t);
  if (!m) {
    return ['manufacturer'];
  }
  if (m[2]) {
    return ['manufacturer', 'healthcare-provider'];
  }
  return [m[1] === '의료서비스제공자' ? 'healthcare-provider' : 'manufacturer'];
};

const join1 = (ls: string[]): string =>
  ls
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();

// Article headings in the practical-guide part (Ch. II, from "제1조(목적)" at line ~3638 to the attachments).
const headings: { n: number; title: string; line: number }[] = [];
for (let i = 3600; i < lines.length; i++) {
  const m = /^제(\d+)조\(([^)]+)\)\s*$/.exec(lines[i] ?? '');
  if (m && Number(m[1]) === headings.length + 1) {
    headings.push({ n: Number(m[1]), title: m[2]!, line: i });
    if (headings.length === 22) {
      break;
    }
  }
}
if (headings.length !== 22) {
  throw new Error(`found ${headings.length} article headings`);
}
const endOfGuide = lines.findIndex((l, i) => i > headings[21]!.line && /^(붙임\s*1|Ⅲ\s*$)/.test(l.trim()));

interface Entry {
  ref: string;
  kind: 'article' | 'clause' | 'item';
  article: number;
  clause?: number;
  item?: number;
  parentRef?: string;
  group?: string;
  titleKo?: string;
  textKo: string;
  obligation: string;
  actors: string[];
  approvalIds?: string[];
  keyChecks?: string[];
  details?: string[];
  evidenceExamples?: string[];
  source: { file: string; lines: [number, number] };
}

const entries: Entry[] = [];
const file = SEED.split('/').pop()!;

headings.forEach((h, idx) => {
  const next = headings[idx + 1]?.line ?? (endOfGuide > 0 ? endOfGuide : lines.length);
  const body = lines.slice(h.line + 1, next);
  // The statutory text ends at the approval-requirements box or the first "q " explanation heading.
  let stop = body.findIndex(
    (l) => /^\[의료기기의 사이버보안 허가ㆍ심사 가이드라인 관련 요구사항\]/.test(l.trim()) || /^q /.test(l),
  );
  if (stop < 0) {
    stop = body.length;
  }
  const statute = body.slice(0, stop);
  const approvalIds: string[] = [];
  if (/^\[의료기기의 사이버보안/.test(body[stop]?.trim() ?? '')) {
    // The box is printed in two columns; the extraction leaves blank lines between entries.
    for (let i = stop + 1; i < body.length; i++) {
      const line = body[i]!.trim();
      if (line === '') {
        continue;
      }
      const m = /^-\s*([A-Z]{2,4})-(\d{1,2})\s*(.*)$/.exec(line);
      if (!m) {
        break;
      }
      // Art. 11's box prints "TRE-1"; the series is written TRE-01 everywhere else.
      approvalIds.push(`${m[1]}-${m[2]!.padStart(2, '0')}`);
    }
  }
  // Key checks / details / evidence examples boxes anywhere in the article's guide text.
  const collect = (label: string): string[] => {
    const out: string[] = [];
    body.forEach((l, i) => {
      if (l.trim() !== label) {
        return;
      }
      let current: string[] = [];
      for (let j = i + 1; j < body.length; j++) {
        const t = body[j]!.trim();
        if (
          /^\[.+\]$/.test(t) ||
          /^※/.test(t) ||
          /^- \d+ -$/.test(t) ||
          /^<.*>$/.test(t) ||
          /^q /.test(body[j]!) ||
          /^제\d+조/.test(t)
        ) {
          break;
        }
        if (t.startsWith('- ')) {
          if (current.length) {
            out.push(join1(current));
          }
          current = [t.slice(2)];
        } else if (t) {
          current.push(t);
        }
      }
      if (current.length) {
        out.push(join1(current));
      }
    });
    return out;
  };
  const group = GROUPS.find((g) => h.n >= g.from && h.n <= g.to)!.group;
  const articleRef = `mfds-2025:art-${h.n}`;
  const statuteText = join1(statute);
  const article: Entry = {
    ref: articleRef,
    kind: 'article',
    article: h.n,
    group,
    titleKo: h.title,
    textKo: statuteText,
    obligation: obligationOf(statuteText),
    actors: actorOf(statuteText),
    approvalIds,
    keyChecks: collect('[주요 확인사항]'),
    details: collect('[세부 설명]'),
    evidenceExamples: collect('[증적 예시]'),
    source: { file, lines: [h.line + 1, h.line + 1 + stop] },
  };
  entries.push(article);

  // Split into clauses (① …) and items (1. …), keeping line numbers.
  type Block = { marker: 'clause' | 'item'; n: number; start: number; text: string[] };
  const blocks: Block[] = [];
  statute.forEach((l, i) => {
    const t = l.trim();
    const c = t.length > 0 ? CIRCLED.indexOf(t[0]!) : -1;
    const item = /^(\d{1,2})\.\s/.exec(t);
    if (c >= 0) {
      blocks.push({ marker: 'clause', n: c + 1, start: i, text: [t.slice(1).trim()] });
    } else if (item) {
      blocks.push({ marker: 'item', n: Number(item[1]), start: i, text: [t] });
    } else if (blocks.length) {
      blocks[blocks.length - 1]!.text.push(t);
    }
  });
  let clauseRef: string | undefined;
  // Text before the first item of an article without clauses is the lead-in of the article itself.
  for (const b of blocks) {
    const text = join1(b.text);
    const lineNo = h.line + 2 + b.start;
    if (b.marker === 'clause') {
      clauseRef = `${articleRef}:cl-${b.n}`;
      entries.push({
        ref: clauseRef,
        kind: 'clause',
        article: h.n,
        clause: b.n,
        parentRef: articleRef,
        textKo: text,
        obligation: obligationOf(text),
        actors: actorOf(text),
        source: { file, lines: [lineNo, lineNo + b.text.length - 1] },
      });
    } else {
      const parent = clauseRef ?? articleRef;
      // An item inherits the obligation of its lead-in ("다음 각 호의 … 하여야 한다").
      const lead = entries.find((e) => e.ref === parent)!;
      entries.push({
        ref: `${parent}:item-${b.n}`,
        kind: 'item',
        article: h.n,
        ...(clauseRef ? { clause: Number(clauseRef.split('cl-')[1]) } : {}),
        item: b.n,
        parentRef: parent,
        textKo: text,
        obligation: obligationOf(text) === 'none' ? lead.obligation : obligationOf(text),
        actors: lead.actors,
        source: { file, lines: [lineNo, lineNo + b.text.length - 1] },
      });
    }
  }
});

process.stdout.write(
  `# MFDS 2025 security guideline for digital medical devices — articles, clauses and items (seed 001, Ch. II).\n` +
    `# Generated by catalog/tools/extract-mfds.ts, then reviewed. Korean verbatim (extraction line breaks joined by one space).\n` +
    stringify({ framework: 'mfds-2025', entries }, { lineWidth: 0, aliasDuplicateObjects: false }),
);

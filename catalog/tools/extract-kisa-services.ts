/**
 * Helps build catalog/kisa-healthcare/services.yaml: the service security requirements of seed 000 for mobile apps
 * (가), web services (나) and service infrastructure — server, web server, DBMS (다).
 *   node catalog/tools/extract-kisa-services.ts [seed-file] > catalog/kisa-healthcare/services.yaml
 * Refs: kisa-healthcare:<app|web|infra>-<type>.<security item>.<nn> (items counted in order within a type;
 * web-service numbers run across items, so those refs are <web>-<type>.<nn>).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { obligationOf } from '@medsec/core';
import { stringify } from 'yaml';

const SEED =
  process.argv[2] ?? join(process.env.MEDSEC_SEEDS_DIR ?? '../shared/seeds', '000_c0456e1f97fc7b59.txt');
const lines = readFileSync(SEED, 'utf8').split('\n');
const en = JSON.parse(
  readFileSync(fileURLToPath(new URL('kisa-services-en-source.json', import.meta.url)), 'utf8'),
) as {
  types: Record<string, string>;
  items: Record<string, string>;
  texts: Record<string, string>;
};
const start = lines.findIndex((l) => /가\.\s*디지털헬스케어 서비스 모바일 앱 보안요구사항/.test(l));
type Domain = 'app' | 'web' | 'infra';
interface Req {
  domain: Domain;
  type: number;
  typeName: string;
  item: number;
  itemName: string;
  nn: string;
  parts: string[];
  line: number;
  lastLine: number;
  open: boolean;
}
const reqs: Req[] = [];
let domain: Domain = 'app';
let type = 0;
let typeName = '';
let item = 0;
let itemName = '';
let labelParts: string[] = [];
let current: Req | undefined;
for (let i = start; i < lines.length; i++) {
  const raw = lines[i] ?? '';
  const t = raw.trim();
  if (!t) {
    continue;
  }
  if (/^나\.\s*디지털헬스케어 서비스 웹 서비스/.test(t)) {
    domain = 'web';
    continue;
  }
  if (/^다\.\s*디지털헬스케어 서비스 인프라/.test(t)) {
    domain = 'infra';
    continue;
  }
  if (i > start && /^가\./.test(t)) {
    continue;
  }
  const typeMatch = /^\((\d)\)\s*`([^`]+)`\s*유형/.exec(t);
  if (typeMatch) {
    type = Number(typeMatch[1]);
    typeName = typeMatch[2]!;
    item = 0;
    itemName = '';
    labelParts = [];
    current = undefined;
    continue;
  }
  if (/^보안항목\s+(보안요구사항|시험 기준)$/.test(t)) {
    current = undefined;
    continue;
  }
  const num = /^(.*?)\s*(?<![\d.])(\d{2})(?:\s+(.*))?$/.exec(t);
  if (num && !(current?.open && domain === 'infra' && t.startsWith('-'))) {
    const label = num[1]!.trim();
    if (label) {
      labelParts.push(label);
    }
    if (labelParts.length) {
      item++;
      itemName = labelParts.join(' ').replace(/\s+/g, ' ').trim();
      labelParts = [];
    }
    current = {
      domain,
      type,
      typeName,
      item,
      itemName,
      nn: num[2]!,
      parts: num[3] ? [raw.slice(raw.indexOf(num[3]))] : [],
      line: i + 1,
      lastLine: i + 1,
      open: true,
    };
    if (domain !== 'infra' && num[3] && /다\.?\s*$/.test(num[3])) {
      current.open = false;
    }
    reqs.push(current);
    continue;
  }
  if (current?.open) {
    if (domain === 'infra') {
      // A phrase wrapped inside a word continues with a particle or ending ("설정되지 않도" + "록 조정",
      // "감사기록 정책" + "에 적합하도록 설정"); a new security item heading never starts with one.
      const wrapped =
        current.parts.length > 0 &&
        /[가-힣]$/.test(current.parts.at(-1) ?? '') &&
        /^(록|에|을|를|은|는|의)\s/.test(t);
      if (wrapped) {
        current.parts.push(t);
        current.lastLine = i + 1;
        continue;
      }
      if (current.parts.length === 0 || t.startsWith('-')) {
        current.parts.push(current.parts.length === 0 ? raw.replace(/^\s+/, '') : `\n${t}`);
        current.lastLine = i + 1;
        continue;
      }
      current.open = false;
    } else {
      current.parts.push(raw.replace(/^\s+/, ''));
      current.lastLine = i + 1;
      if (/다\.?\s*$/.test(t)) {
        current.open = false;
      }
      continue;
    }
  }
  labelParts.push(t);
}
const refOf = (r: Req) =>
  r.domain === 'web'
    ? `kisa-healthcare:web-${r.type}.${r.nn}`
    : `kisa-healthcare:${r.domain}-${r.type}.${r.item}.${r.nn}`;
const entries = reqs.map((r) => {
  const ref = refOf(r);
  const key = ref.replace('kisa-healthcare:', '');
  const textKo = r.parts
    .join('')
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
  return {
    ref,
    kind: 'requirement',
    group: `${r.domain}-${r.type}`,
    titleKo: `${r.typeName} · ${r.itemName} ${r.nn}`,
    titleEn: `${en.types[`${r.domain}-${r.type}`] ?? ''} · ${en.items[`${r.domain}-${r.type}.${r.item}`] ?? ''} ${r.nn}`,
    textKo,
    ...(en.texts[key] ? { textEn: en.texts[key] } : {}),
    // Checklist phrases carry no modal; they inherit "준수해야 할 보안요구사항" of the section lead-in (mandatory).
    obligation: obligationOf(textKo) === 'none' ? ('mandatory' as const) : obligationOf(textKo),
    actors: ['manufacturer'],
    approvalIds: [],
    source: { file: SEED.split('/').pop()!, lines: [r.line, r.lastLine] as [number, number] },
  };
});
process.stdout.write(
  `# KISA digital-healthcare security model (seed 000): service security requirements — mobile app (app-), web service (web-),\n# service infrastructure: server, web server, DBMS (infra-). Generated by catalog/tools/extract-kisa-services.ts, then reviewed.\n${stringify({ framework: 'kisa-healthcare', entries }, { lineWidth: 0, aliasDuplicateObjects: false })}`,
);

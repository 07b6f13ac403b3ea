// Usage: node catalog/tools/check-verbatim.mjs <seed-file> <yaml-file>
// Prints every Korean text (keys ending in "Ko", and string items of arrays under keys ending in "Ko")
// that does not occur in the seed after whitespace normalisation (page-number lines "- 12 -" removed).
// Texts in an object with `reconstructed: true` only need every whitespace-separated fragment to occur.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const [seedFile, yamlFile] = process.argv.slice(2);
const squash = (s) => s.replace(/\s+/g, '');
const seed = squash(readFileSync(seedFile, 'utf8').replace(/^- \d+ -$/gm, ''));
const doc = parse(readFileSync(yamlFile, 'utf8'));
let checked = 0;
const bad = [];
const test = (path, text, reconstructed) => {
  checked++;
  const ok = reconstructed
    ? text
        .split(/\s+/)
        .filter(Boolean)
        .every((t) => seed.includes(squash(t)))
    : seed.includes(squash(text));
  if (!ok) {
    bad.push(`${path}: ${text.slice(0, 120)}`);
  }
};
const walk = (node, path, reconstructed) => {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) {
      walk(v, `${path}[${i}]`, reconstructed);
    }
  } else if (node && typeof node === 'object') {
    const rec = reconstructed || node.reconstructed === true;
    for (const [k, v] of Object.entries(node)) {
      if (/Ko$/.test(k) && typeof v === 'string') {
        test(`${path}.${k}`, v, rec);
      } else if (/Ko$/.test(k) && Array.isArray(v)) {
        for (const [i, s] of v.entries()) {
          if (typeof s === 'string') {
            test(`${path}.${k}[${i}]`, s, rec);
          } else {
            walk(s, `${path}.${k}[${i}]`, rec);
          }
        }
      } else {
        walk(v, `${path}.${k}`, rec);
      }
    }
  }
};
walk(doc, '$', false);
console.log(`${checked} Korean texts checked, ${bad.length} not found in the seed`);
for (const b of bad) {
  console.log(`  ${b}`);
}
process.exitCode = bad.length ? 1 : 0;

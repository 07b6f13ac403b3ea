import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogJsonSchemas } from './catalog-json-schemas.ts';

const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'catalog', 'schema');

describe('catalog JSON Schemas', () => {
  it('are committed as generated from the zod schemas (node catalog/tools/write-schemas.ts)', () => {
    for (const [name, schema] of Object.entries(catalogJsonSchemas())) {
      const committed = JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8'));
      expect(committed, `${name}.schema.json is stale`).toEqual(schema);
    }
  });

  it('describe the verbatim Korean entry text as required', () => {
    const entries = catalogJsonSchemas().entries as {
      properties: { entries: { items: { required: string[] } } };
    };
    expect(entries.properties.entries.items.required).toEqual(
      expect.arrayContaining(['ref', 'kind', 'textKo', 'obligation']),
    );
  });
});

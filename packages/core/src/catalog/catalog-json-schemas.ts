import { z } from 'zod';
import { CatalogFileSchema, CatalogTranslationSchema } from './catalog.schemas.ts';
import {
  ImdrfMappingFileSchema,
  KisaModelFileSchema,
  LinksFileSchema,
  PracticeFileSchema,
  TemplatesFileSchema,
} from './catalog-data.schemas.ts';

/** JSON Schemas of every catalog file type, keyed by the file name they are written to (catalog/schema/). */
export const catalogJsonSchemas = (): Record<string, unknown> => {
  const files = {
    entries: CatalogFileSchema,
    translations: CatalogTranslationSchema,
    practice: PracticeFileSchema,
    'imdrf-mapping': ImdrfMappingFileSchema,
    templates: TemplatesFileSchema,
    'service-model': KisaModelFileSchema,
    links: LinksFileSchema,
  } as const;
  return Object.fromEntries(
    Object.entries(files).map(([name, schema]) => [
      name,
      {
        $id: `https://medsec.example/catalog/schema/${name}.schema.json`,
        ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
      },
    ]),
  );
};

-- GMP audit checklist rows (붙임3) are catalog entries of their own kind, attached to their article.
ALTER TABLE catalog_requirements DROP CONSTRAINT catalog_requirements_kind_check;
ALTER TABLE catalog_requirements ADD CONSTRAINT catalog_requirements_kind_check
  CHECK (kind IN ('article', 'clause', 'item', 'requirement', 'threat', 'section', 'definition', 'check'));

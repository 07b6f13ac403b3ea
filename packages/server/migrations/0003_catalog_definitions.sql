-- Definitions (Ch. I.2 of the MFDS guideline) are catalog entries of their own kind.
ALTER TABLE catalog_requirements DROP CONSTRAINT catalog_requirements_kind_check;
ALTER TABLE catalog_requirements ADD CONSTRAINT catalog_requirements_kind_check
  CHECK (kind IN ('article', 'clause', 'item', 'requirement', 'threat', 'section', 'definition'));

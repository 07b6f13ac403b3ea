-- Catalog data beside the entries: practical guidance points and referenced standards become entries of their own
-- kinds; structured data (IMDRF mapping table, document templates, KISA service model) are versioned datasets;
-- cross-references between frameworks (KISA requirement ↔ MFDS article) are links with their basis.
ALTER TABLE catalog_requirements DROP CONSTRAINT catalog_requirements_kind_check;
ALTER TABLE catalog_requirements ADD CONSTRAINT catalog_requirements_kind_check
  CHECK (kind IN ('article', 'clause', 'item', 'requirement', 'threat', 'section', 'definition', 'check', 'guidance',
                  'reference'));

CREATE TABLE catalog_datasets (
  framework_id text NOT NULL REFERENCES catalog_frameworks (id),
  key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  revision integer NOT NULL DEFAULT 1,
  title_ko text NOT NULL,
  title_en text NOT NULL,
  data jsonb NOT NULL,
  content_hash text NOT NULL,
  retired_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (framework_id, key)
);

CREATE TABLE catalog_links (
  framework_id text NOT NULL REFERENCES catalog_frameworks (id),
  from_ref text NOT NULL,
  to_ref text NOT NULL,
  relation text NOT NULL CHECK (relation IN ('supports', 'related')),
  basis_en text NOT NULL,
  stated_in_seed boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (framework_id, from_ref, to_ref)
);
CREATE INDEX catalog_links_to_idx ON catalog_links (to_ref);
CREATE INDEX catalog_links_from_idx ON catalog_links (from_ref);

-- Regulatory catalog: frameworks and their requirements (articles, clauses, items), kept as revisions.
-- Built-in frameworks (organization_id NULL) are loaded from catalog/ at migrate time; rows are never deleted,
-- only retired, because assessments will point at them.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE catalog_frameworks (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9.-]{1,62}$'),
  organization_id uuid REFERENCES organizations (id),
  version text NOT NULL,
  name_ko text NOT NULL,
  name_en text NOT NULL,
  source text NOT NULL,
  content_hash text NOT NULL,
  imported_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE catalog_requirements (
  id uuid PRIMARY KEY,
  framework_id text NOT NULL REFERENCES catalog_frameworks (id),
  ref text NOT NULL,
  revision integer NOT NULL DEFAULT 1,
  kind text NOT NULL CHECK (kind IN ('article', 'clause', 'item', 'requirement', 'threat', 'section')),
  article integer,
  clause integer,
  item integer,
  parent_ref text,
  group_key text,
  title_ko text,
  title_en text,
  text_ko text NOT NULL,
  text_en text,
  obligation text NOT NULL CHECK (obligation IN ('mandatory', 'recommended', 'mixed', 'none')),
  actors text[] NOT NULL DEFAULT '{}',
  approval_ids text[] NOT NULL DEFAULT '{}',
  extra jsonb NOT NULL DEFAULT '{}'::jsonb,
  source jsonb,
  sort_key integer NOT NULL,
  content_hash text NOT NULL,
  search_text text NOT NULL,
  search_compact text NOT NULL,
  retired_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (framework_id, ref)
);
CREATE INDEX catalog_requirements_framework_idx ON catalog_requirements (framework_id, sort_key);
CREATE INDEX catalog_requirements_article_idx ON catalog_requirements (framework_id, article);
CREATE INDEX catalog_requirements_search_trgm ON catalog_requirements USING gin (search_text gin_trgm_ops);
CREATE INDEX catalog_requirements_compact_trgm ON catalog_requirements USING gin (search_compact gin_trgm_ops);
CREATE INDEX catalog_requirements_approval_idx ON catalog_requirements USING gin (approval_ids);

CREATE TABLE catalog_requirement_revisions (
  id uuid PRIMARY KEY,
  requirement_id uuid NOT NULL REFERENCES catalog_requirements (id),
  revision integer NOT NULL,
  content jsonb NOT NULL,
  content_hash text NOT NULL,
  change text NOT NULL CHECK (change IN ('created', 'changed', 'retired', 'restored')),
  created_at timestamptz NOT NULL,
  UNIQUE (requirement_id, revision)
);

-- Approval-review guideline requirement IDs (RA-, SI-, DC-, IA-, UC-, TRE-).
CREATE TABLE catalog_approval_requirements (
  id text PRIMARY KEY CHECK (id ~ '^[A-Z]{2,4}-[0-9]{2}$'),
  title_ko text NOT NULL,
  title_en text,
  inferred boolean NOT NULL DEFAULT false,
  source jsonb,
  updated_at timestamptz NOT NULL
);

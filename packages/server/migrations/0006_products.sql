-- Products, releases, architecture inventory, applicability decisions and assessments (issue #4, first part).
-- Every row carries organization_id; every query filters by it. Assessment items point at catalog entries by their
-- stable ref (catalog rows are retired, never deleted).

CREATE TABLE products (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  model text NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
  manufacturer text NOT NULL,
  importer text,
  grade integer CHECK (grade BETWEEN 1 AND 4),
  intended_use text NOT NULL DEFAULT '',
  profile jsonb NOT NULL,
  archived_at timestamptz,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX products_org_model_key ON products (organization_id, lower(name), lower(model));

CREATE TABLE product_releases (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  product_id uuid NOT NULL REFERENCES products (id),
  version text NOT NULL CHECK (length(version) BETWEEN 1 AND 100),
  release_date date,
  status text NOT NULL CHECK (status IN ('in-development', 'released', 'end-of-support')),
  based_on uuid REFERENCES product_releases (id),
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (product_id, version)
);
CREATE INDEX product_releases_org_idx ON product_releases (organization_id, product_id);

-- Architecture inventory per release (art. 11 interface list; threat models build on elements and flows).
CREATE TABLE architecture_elements (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  release_id uuid NOT NULL REFERENCES product_releases (id),
  kind text NOT NULL CHECK (kind IN ('hardware', 'software', 'third-party', 'cloud-service', 'data-store', 'interface',
                                     'external-entity')),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  interface text,
  port_protocol text,
  purpose text NOT NULL DEFAULT '',
  personal_data boolean NOT NULL DEFAULT false,
  parent_id uuid REFERENCES architecture_elements (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX architecture_elements_release_idx ON architecture_elements (release_id);

CREATE TABLE data_flows (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  release_id uuid NOT NULL REFERENCES product_releases (id),
  from_id uuid NOT NULL REFERENCES architecture_elements (id),
  to_id uuid NOT NULL REFERENCES architecture_elements (id),
  name text NOT NULL,
  protocol text NOT NULL DEFAULT '',
  personal_data boolean NOT NULL DEFAULT false,
  encrypted boolean NOT NULL DEFAULT false,
  crosses_trust_boundary boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL
);
CREATE INDEX data_flows_release_idx ON data_flows (release_id);

-- Which catalog entries apply to a product, by rule or by a person's override (with justification and reference).
CREATE TABLE applicability_decisions (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  product_id uuid NOT NULL REFERENCES products (id),
  requirement_ref text NOT NULL,
  applicable boolean NOT NULL,
  rule_id text NOT NULL,
  basis text NOT NULL,
  reason_en text NOT NULL,
  reason_ko text NOT NULL,
  override_applicable boolean,
  override_justification text,
  override_reference text,
  overridden_by uuid REFERENCES users (id),
  overridden_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (product_id, requirement_ref),
  CHECK (override_applicable IS NULL OR length(override_justification) > 0)
);
CREATE INDEX applicability_org_idx ON applicability_decisions (organization_id, product_id);

-- One item per applicable requirement per release.
CREATE TABLE assessment_items (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  release_id uuid NOT NULL REFERENCES product_releases (id),
  requirement_ref text NOT NULL,
  status text NOT NULL DEFAULT 'not-started'
    CHECK (status IN ('not-started', 'in-progress', 'implemented', 'verified', 'not-applicable')),
  owner_id uuid REFERENCES users (id),
  due_date date,
  method text CHECK (method IN ('test', 'inspection', 'analysis', 'document-review', 'third-party-certificate')),
  notes text NOT NULL DEFAULT '',
  inherited_from uuid REFERENCES assessment_items (id),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES users (id),
  UNIQUE (release_id, requirement_ref)
);
CREATE INDEX assessment_items_org_idx ON assessment_items (organization_id, release_id);

CREATE TABLE assessment_item_history (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  item_id uuid NOT NULL REFERENCES assessment_items (id),
  changed_by uuid REFERENCES users (id),
  changed_at timestamptz NOT NULL,
  changes jsonb NOT NULL
);
CREATE INDEX assessment_item_history_item_idx ON assessment_item_history (item_id, changed_at);

-- Evidence vault and controlled documents (issue #4, second part).
-- File content is stored once per organization by SHA-256 (blobs); evidence and documents keep versions that point
-- at blobs. One piece of evidence or one document can serve many assessment items across releases and products.

CREATE TABLE blobs (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size >= 0),
  content bytea NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (organization_id, sha256)
);

CREATE TABLE evidence (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('file', 'link')),
  review_date date,
  expires_at date,
  current_version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX evidence_org_idx ON evidence (organization_id, created_at DESC);

CREATE TABLE evidence_versions (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  evidence_id uuid NOT NULL REFERENCES evidence (id),
  version integer NOT NULL,
  file_name text,
  media_type text,
  size bigint,
  sha256 text,
  url text,
  captured_sha256 text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  UNIQUE (evidence_id, version),
  CHECK ((sha256 IS NOT NULL) <> (url IS NOT NULL))
);

CREATE TABLE evidence_links (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  evidence_id uuid NOT NULL REFERENCES evidence (id),
  item_id uuid NOT NULL REFERENCES assessment_items (id),
  linked_by uuid REFERENCES users (id),
  linked_at timestamptz NOT NULL,
  PRIMARY KEY (evidence_id, item_id)
);
CREATE INDEX evidence_links_item_idx ON evidence_links (item_id);

-- Controlled documents (문서 관리): number, revision, status, 작성/검토/승인 signatures, retention.
CREATE TABLE controlled_documents (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  number text NOT NULL CHECK (number ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  type text NOT NULL CHECK (type IN ('procedure', 'guideline', 'standard', 'plan', 'report', 'record-template', 'record')),
  product_id uuid REFERENCES products (id),
  revision integer NOT NULL DEFAULT 1,
  status text NOT NULL CHECK (status IN ('draft', 'in-review', 'approved', 'obsolete', 'destroyed')),
  template_key text,
  retention_years integer NOT NULL DEFAULT 5 CHECK (retention_years BETWEEN 1 AND 100),
  retention_after_market_years integer NOT NULL DEFAULT 2 CHECK (retention_after_market_years BETWEEN 0 AND 100),
  manufactured_on date,
  marketing_ended_on date,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  destroyed_at timestamptz,
  UNIQUE (organization_id, number)
);

CREATE TABLE document_revisions (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  document_id uuid NOT NULL REFERENCES controlled_documents (id),
  revision integer NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'in-review', 'approved', 'superseded')),
  file_name text,
  media_type text,
  size bigint,
  sha256 text,
  change_summary text NOT NULL DEFAULT '',
  author_id uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  approved_at timestamptz,
  UNIQUE (document_id, revision)
);

-- Electronic signatures bind the signer, the time, the meaning and the hash of the signed revision.
CREATE TABLE document_signatures (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  revision_id uuid NOT NULL REFERENCES document_revisions (id),
  meaning text NOT NULL CHECK (meaning IN ('author', 'reviewer', 'approver')),
  signer_id uuid NOT NULL REFERENCES users (id),
  signer_name text NOT NULL,
  signer_role text NOT NULL,
  document_sha256 text NOT NULL,
  signed_at timestamptz NOT NULL,
  signature_hash text NOT NULL,
  comment text NOT NULL DEFAULT '',
  UNIQUE (revision_id, meaning, signer_id)
);

CREATE TABLE document_links (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  document_id uuid NOT NULL REFERENCES controlled_documents (id),
  item_id uuid NOT NULL REFERENCES assessment_items (id),
  linked_by uuid REFERENCES users (id),
  linked_at timestamptz NOT NULL,
  PRIMARY KEY (document_id, item_id)
);
CREATE INDEX document_links_item_idx ON document_links (item_id);

-- Signatures are never changed or removed.
CREATE FUNCTION document_signatures_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'document signatures are append-only';
END;
$$;
CREATE TRIGGER document_signatures_no_update BEFORE UPDATE OR DELETE ON document_signatures
  FOR EACH ROW EXECUTE FUNCTION document_signatures_append_only();

-- Issued CSAF advisories with their revision history, and the review of low-confidence vendor-CSAF matches
-- (MFDS 2025 arts. 20–22: vulnerability handling, disclosure, advisories).

-- One advisory per organization and tracking id: a CSAF security advisory (one vulnerability of one product) or a
-- CSAF VEX document (the findings of one product release). Status goes draft → interim → final.
CREATE TABLE csaf_advisories (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  profile text NOT NULL CHECK (profile IN ('security_advisory', 'vex')),
  product_id uuid NOT NULL REFERENCES products (id),
  release_id uuid REFERENCES product_releases (id),
  vulnerability_id text REFERENCES vulnerabilities (id),
  tracking_id text NOT NULL CHECK (length(tracking_id) BETWEEN 1 AND 200),
  title text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'interim', 'final')),
  -- the number of the latest issued revision (CSAF integer versioning); 0 while a draft
  current_revision integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1,
  UNIQUE (organization_id, tracking_id),
  CHECK ((profile = 'vex' AND release_id IS NOT NULL) OR (profile = 'security_advisory' AND vulnerability_id IS NOT NULL))
);
CREATE INDEX csaf_advisories_org_idx ON csaf_advisories (organization_id, updated_at DESC);

-- Each issue of an advisory: the exact document served (text, so its SHA-256 stays true), who issued it and what
-- content it was built from (a hash of the findings-derived parts, to tell whether a re-issue changes anything).
CREATE TABLE csaf_advisory_revisions (
  id uuid PRIMARY KEY,
  advisory_id uuid NOT NULL REFERENCES csaf_advisories (id),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  revision integer NOT NULL CHECK (revision >= 1),
  status text NOT NULL CHECK (status IN ('interim', 'final')),
  summary text NOT NULL,
  document text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content_hash text NOT NULL,
  issued_by uuid REFERENCES users (id),
  issued_by_label text NOT NULL,
  issued_at timestamptz NOT NULL,
  UNIQUE (advisory_id, revision)
);

-- Issued revisions are records of what was published: never changed or removed.
CREATE FUNCTION csaf_advisory_revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'issued CSAF revisions are append-only';
END;
$$;
CREATE TRIGGER csaf_advisory_revisions_no_update BEFORE UPDATE OR DELETE ON csaf_advisory_revisions
  FOR EACH ROW EXECUTE FUNCTION csaf_advisory_revisions_append_only();

-- Review of vendor-CSAF matches made by name (low confidence): pending until a person confirms (a normal finding
-- from then on) or dismisses it (with a reason; it stays retracted when the advisory is imported again).
ALTER TABLE findings ADD COLUMN review_status text CHECK (review_status IN ('pending', 'confirmed', 'dismissed'));
ALTER TABLE findings ADD COLUMN review_reason text;
ALTER TABLE findings ADD COLUMN reviewed_by uuid REFERENCES users (id);
ALTER TABLE findings ADD COLUMN reviewed_at timestamptz;
UPDATE findings SET review_status = 'pending' WHERE match_kind = 'csaf';
CREATE INDEX findings_review_idx ON findings (organization_id, review_status) WHERE review_status IS NOT NULL;

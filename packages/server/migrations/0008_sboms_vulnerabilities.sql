-- SBOMs per release, public advisory data (OSV, NVD, KEV, EPSS) and findings (issue #5).
-- Advisory data is public reference data shared by all organizations (like the built-in catalog); SBOMs, components
-- and findings belong to an organization.

CREATE TABLE sboms (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  release_id uuid NOT NULL REFERENCES product_releases (id),
  format text NOT NULL CHECK (format IN ('cyclonedx', 'spdx')),
  source_format text NOT NULL,
  spec_version text NOT NULL,
  name text,
  serial text,
  document_created timestamptz,
  file_name text NOT NULL,
  sha256 text NOT NULL,
  size bigint NOT NULL,
  component_count integer NOT NULL,
  completeness jsonb NOT NULL,
  issues jsonb NOT NULL DEFAULT '[]'::jsonb,
  lenient boolean NOT NULL DEFAULT false,
  superseded_at timestamptz,
  uploaded_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX sboms_release_idx ON sboms (organization_id, release_id, created_at DESC);

CREATE TABLE sbom_components (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  sbom_id uuid NOT NULL REFERENCES sboms (id),
  release_id uuid NOT NULL REFERENCES product_releases (id),
  key text NOT NULL,
  type text NOT NULL,
  name text NOT NULL,
  version text,
  group_name text,
  purl text,
  purl_type text,
  -- OSV ecosystem (base, e.g. npm, PyPI, Debian) and package name normalised for that ecosystem: the match key
  match_ecosystem text,
  match_name text,
  cpe text,
  supplier text,
  author text,
  hashes jsonb NOT NULL DEFAULT '[]'::jsonb,
  licenses text,
  properties jsonb NOT NULL DEFAULT '[]'::jsonb,
  support_level text,
  end_of_support date,
  scope text,
  UNIQUE (sbom_id, key)
);
CREATE INDEX sbom_components_match_idx ON sbom_components (match_ecosystem, match_name);
CREATE INDEX sbom_components_sbom_idx ON sbom_components (sbom_id);
CREATE INDEX sbom_components_cpe_idx ON sbom_components (cpe) WHERE cpe IS NOT NULL;

CREATE TABLE sbom_dependencies (
  sbom_id uuid NOT NULL REFERENCES sboms (id),
  from_key text NOT NULL,
  to_key text NOT NULL,
  PRIMARY KEY (sbom_id, from_key, to_key)
);

-- One row per vulnerability; aliases (CVE, GHSA, vendor IDs) merge into one.
CREATE TABLE vulnerabilities (
  id text PRIMARY KEY,
  aliases text[] NOT NULL DEFAULT '{}',
  summary text,
  details text,
  published timestamptz,
  modified timestamptz,
  withdrawn_at timestamptz,
  cvss3_vector text,
  cvss3_score numeric(3, 1),
  cvss4_vector text,
  cvss4_score numeric(3, 1),
  -- the advisory's own qualitative severity (e.g. GitHub's), used when no CVSS vector is given
  qualitative_severity text CHECK (qualitative_severity IN ('critical', 'high', 'medium', 'low', 'none')),
  cwes text[] NOT NULL DEFAULT '{}',
  kev_date_added date,
  kev_due_date date,
  kev_ransomware text,
  epss numeric(6, 5),
  epss_percentile numeric(6, 5),
  epss_date date,
  updated_at timestamptz NOT NULL
);
CREATE INDEX vulnerabilities_aliases_idx ON vulnerabilities USING gin (aliases);

CREATE TABLE advisories (
  id text PRIMARY KEY,
  source text NOT NULL CHECK (source IN ('osv', 'nvd', 'csaf')),
  vulnerability_id text NOT NULL REFERENCES vulnerabilities (id),
  aliases text[] NOT NULL DEFAULT '{}',
  modified timestamptz,
  withdrawn_at timestamptz,
  content_hash text NOT NULL,
  data jsonb NOT NULL,
  imported_at timestamptz NOT NULL
);
CREATE INDEX advisories_vulnerability_idx ON advisories (vulnerability_id);

-- What each advisory affects, indexed by the keys components are matched on.
CREATE TABLE advisory_packages (
  advisory_id text NOT NULL REFERENCES advisories (id),
  ecosystem text NOT NULL,
  match_ecosystem text NOT NULL,
  match_name text NOT NULL
);
CREATE INDEX advisory_packages_match_idx ON advisory_packages (match_ecosystem, match_name);
CREATE INDEX advisory_packages_advisory_idx ON advisory_packages (advisory_id);

CREATE TABLE advisory_cpes (
  advisory_id text NOT NULL REFERENCES advisories (id),
  vendor text NOT NULL,
  product text NOT NULL,
  configurations jsonb NOT NULL
);
CREATE INDEX advisory_cpes_match_idx ON advisory_cpes (vendor, product);
CREATE INDEX advisory_cpes_advisory_idx ON advisory_cpes (advisory_id);

CREATE TABLE advisory_imports (
  id uuid PRIMARY KEY,
  source text NOT NULL,
  file_name text NOT NULL,
  counts jsonb NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  imported_by uuid REFERENCES users (id)
);

-- Finding = vulnerability × component × release, with its VEX state and remediation.
CREATE TABLE findings (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  release_id uuid NOT NULL REFERENCES product_releases (id),
  component_id uuid NOT NULL REFERENCES sbom_components (id),
  vulnerability_id text NOT NULL REFERENCES vulnerabilities (id),
  advisory_id text NOT NULL REFERENCES advisories (id),
  match_kind text NOT NULL CHECK (match_kind IN ('purl', 'cpe', 'csaf')),
  match_reason jsonb NOT NULL,
  confidence numeric(3, 2) NOT NULL,
  state text NOT NULL DEFAULT 'under_investigation'
    CHECK (state IN ('under_investigation', 'affected', 'not_affected', 'fixed')),
  justification text CHECK (justification IN ('component_not_present', 'vulnerable_code_not_present',
    'vulnerable_code_not_in_execute_path', 'vulnerable_code_cannot_be_controlled_by_adversary',
    'inline_mitigations_already_exist')),
  impact_statement text,
  action_statement text,
  remediation text NOT NULL DEFAULT 'none' CHECK (remediation IN ('none', 'planned', 'in-progress', 'done', 'wont-fix')),
  patient_safety_impact text CHECK (patient_safety_impact IN ('none', 'low', 'medium', 'high', 'critical')),
  cvss_environmental_vector text,
  cvss_environmental_score numeric(3, 1),
  due_date date,
  decided_by uuid REFERENCES users (id),
  decided_at timestamptz,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  retracted_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  UNIQUE (release_id, component_id, vulnerability_id)
);
CREATE INDEX findings_org_idx ON findings (organization_id, state, due_date);
CREATE INDEX findings_vulnerability_idx ON findings (vulnerability_id);

-- Deadline policy per severity (defaults from the guideline's reference: communicate in 30 days, fix in 60).
CREATE TABLE deadline_policies (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'none')),
  communicate_days integer NOT NULL CHECK (communicate_days BETWEEN 0 AND 3650),
  fix_days integer NOT NULL CHECK (fix_days BETWEEN 0 AND 3650),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (organization_id, severity)
);

-- One foreign key per row instead of three for the two tables bulk writes fill (issue #5 performance, ADR 0018).
-- A component belonged to an SBOM, a release and an organization through three separate keys, and a finding to a
-- component, a release and an organization likewise: each key is a check per written row (an SBOM of 10 000
-- components and its 10 000 findings paid 60 000 lookups), and nothing required the three to agree. One composite
-- key checks both at once: a component's release and organization are its SBOM's, a finding's are its component's
-- (and through them the release's and the organization's, which `sboms` still references).

ALTER TABLE sboms ADD CONSTRAINT sboms_ownership_key UNIQUE (id, release_id, organization_id);

ALTER TABLE sbom_components
  ADD CONSTRAINT sbom_components_ownership_key UNIQUE (id, release_id, organization_id),
  ADD CONSTRAINT sbom_components_sbom_fkey FOREIGN KEY (sbom_id, release_id, organization_id)
    REFERENCES sboms (id, release_id, organization_id),
  DROP CONSTRAINT sbom_components_sbom_id_fkey,
  DROP CONSTRAINT sbom_components_release_id_fkey,
  DROP CONSTRAINT sbom_components_organization_id_fkey;

-- the unique (sbom_id, key) index leads with sbom_id and serves every lookup by SBOM
DROP INDEX sbom_components_sbom_idx;

ALTER TABLE findings
  ADD CONSTRAINT findings_component_fkey FOREIGN KEY (component_id, release_id, organization_id)
    REFERENCES sbom_components (id, release_id, organization_id),
  DROP CONSTRAINT findings_component_id_fkey,
  DROP CONSTRAINT findings_release_id_fkey,
  DROP CONSTRAINT findings_organization_id_fkey;

-- A component is in exactly one release, so "one finding per release, component and vulnerability" is "one per
-- component and vulnerability"; that unique index also serves every lookup by component, which had its own index.
ALTER TABLE findings
  ADD CONSTRAINT findings_component_vulnerability_key UNIQUE (component_id, vulnerability_id),
  DROP CONSTRAINT findings_release_id_component_id_vulnerability_id_key;
DROP INDEX findings_component_idx;

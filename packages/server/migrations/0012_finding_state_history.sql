-- The state history of findings (ADR 0016; MFDS 2025 art. 20: vulnerability handling is recorded): each change of
-- VEX state, justification or remediation a person makes, and each retraction or confirmation made outside the
-- matcher's bulk path, with who and when. The findings-over-time series reads it (ADR 0015).

CREATE TABLE finding_state_changes (
  id uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id),
  finding_id uuid NOT NULL REFERENCES findings (id),
  -- the finding's changes in order (1, 2, …); the finding row is locked while one is written
  seq integer NOT NULL CHECK (seq >= 1),
  kind text NOT NULL
    CHECK (kind IN ('triage', 'sbom_superseded', 'csaf_confirmed', 'csaf_dismissed', 'reconstructed')),
  -- NULL only on reconstructed rows: the state before is not known
  from_state text CHECK (from_state IN ('under_investigation', 'affected', 'not_affected', 'fixed')),
  to_state text NOT NULL CHECK (to_state IN ('under_investigation', 'affected', 'not_affected', 'fixed')),
  justification text CHECK (justification IN ('component_not_present', 'vulnerable_code_not_present',
    'vulnerable_code_not_in_execute_path', 'vulnerable_code_cannot_be_controlled_by_adversary',
    'inline_mitigations_already_exist')),
  from_remediation text CHECK (from_remediation IN ('none', 'planned', 'in-progress', 'done', 'wont-fix')),
  to_remediation text NOT NULL CHECK (to_remediation IN ('none', 'planned', 'in-progress', 'done', 'wont-fix')),
  -- whether the finding was retracted after the change
  retracted boolean NOT NULL,
  changed_by uuid REFERENCES users (id),
  -- the actor's label (e-mail, token name or system), kept as it was
  changed_by_label text NOT NULL,
  changed_at timestamptz NOT NULL,
  note text CHECK (length(note) <= 4000),
  -- the series and the drawer read a finding's changes in order
  UNIQUE (finding_id, seq),
  CHECK (kind = 'reconstructed' OR (from_state IS NOT NULL AND from_remediation IS NOT NULL))
);

-- A record of what was decided: rows are never changed or removed.
CREATE FUNCTION finding_state_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'finding state changes are append-only';
END;
$$;
CREATE TRIGGER finding_state_changes_no_update BEFORE UPDATE OR DELETE ON finding_state_changes
  FOR EACH ROW EXECUTE FUNCTION finding_state_changes_append_only();

-- Findings decided before the history existed: one row from the state they have now, at the last decision's time and
-- by its author (the earlier states are not known). The id is a UUIDv7 of that time.
INSERT INTO finding_state_changes (id, organization_id, finding_id, seq, kind, from_state, to_state, justification,
    from_remediation, to_remediation, retracted, changed_by, changed_by_label, changed_at, note)
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
           PLACING substring(int8send(floor(extract(epoch FROM f.decided_at) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
           52, 1), 53, 1), 'hex')::uuid,
         f.organization_id, f.id, 1, 'reconstructed', NULL, f.state, f.justification, NULL, f.remediation,
         f.retracted_at IS NOT NULL AND f.retracted_at <= f.decided_at, f.decided_by,
         coalesce(u.email::text, 'system'), f.decided_at,
         'Reconstructed by migration 0012 from the finding''s state at its last decision; earlier states are not known.'
    FROM findings f
    LEFT JOIN users u ON u.id = f.decided_by
   WHERE f.decided_at IS NOT NULL;

-- Matching reads, per candidate advisory, only the affected entries of the package it is matched on (issue #5
-- performance): they are kept beside the package index, with their position in the advisory (`index`) so a match
-- still names the entry it came from. NULL for rows written before this migration: matching then reads the
-- advisory's own data (re-importing the feed fills the column).
ALTER TABLE advisory_packages ADD COLUMN affected jsonb;

-- Every id a vulnerability is known by (its own and its aliases), for the lookup that merges aliases on import.
-- A GIN index on `vulnerabilities.aliases` answers one id fast but thousands slowly (its pending list is scanned per
-- search: 3.5 ms each, 10 s for a 1 000-record batch on PGlite); a b-tree on this table answers them in one scan.
-- Kept in step with `vulnerabilities` by a trigger, whoever writes the row.
CREATE TABLE vulnerability_ids (
  alias text NOT NULL,
  vulnerability_id text NOT NULL REFERENCES vulnerabilities (id) ON DELETE CASCADE,
  PRIMARY KEY (alias, vulnerability_id)
);
CREATE INDEX vulnerability_ids_vulnerability_idx ON vulnerability_ids (vulnerability_id);

-- statement-level with transition tables: one set-based write per statement, not one per row
CREATE FUNCTION vulnerability_ids_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM vulnerability_ids i USING changed_rows n
     WHERE i.vulnerability_id = n.id AND i.alias <> n.id AND NOT (i.alias = ANY (n.aliases));
  END IF;
  INSERT INTO vulnerability_ids (alias, vulnerability_id)
  SELECT DISTINCT x, n.id FROM changed_rows n, unnest(array_append(n.aliases, n.id)) AS x
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER vulnerability_ids_insert AFTER INSERT ON vulnerabilities
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION vulnerability_ids_sync();
CREATE TRIGGER vulnerability_ids_update AFTER UPDATE ON vulnerabilities
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION vulnerability_ids_sync();

INSERT INTO vulnerability_ids (alias, vulnerability_id)
SELECT DISTINCT x, v.id FROM vulnerabilities v, unnest(array_append(v.aliases, v.id)) AS x
ON CONFLICT DO NOTHING;

-- Matching reads the findings of the components it evaluates, and the triage of earlier SBOMs by release and
-- vulnerability: without these, each lookup scanned every finding of the release (quadratic in a large SBOM).
CREATE INDEX findings_component_idx ON findings (component_id);
CREATE INDEX findings_release_vulnerability_idx ON findings (release_id, vulnerability_id);

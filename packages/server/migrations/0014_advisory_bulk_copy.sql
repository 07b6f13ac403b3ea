-- Advisory import by COPY (issue #5 performance, ADR 0016). The import writes each batch with COPY in PostgreSQL's
-- text format; what made each row expensive besides is removed here.

-- The record as the import normalised it, byte for byte: `content_hash` is the SHA-256 of exactly this text, so the
-- stored record can be checked against its hash. Nothing queries inside it in SQL (matching reads
-- `advisory_packages.affected`; the detail page parses it), and jsonb cost a JSON parse per row on every import.
-- Rows written before keep their content as jsonb rendered it; their hash then no longer verifies until the feed is
-- imported again.
ALTER TABLE advisories ALTER COLUMN data TYPE text USING data::text;

-- Records are 2–3 KB, just above the size where PostgreSQL compresses a value; its default compression (pglz) was
-- the largest single cost of an import on PGlite (in WebAssembly). lz4 compresses several times faster where the
-- server has it (Debian's PostgreSQL does); PGlite has not, and stores the text uncompressed instead (about 2.4 KB
-- per record on disk: 240 MB per 100 000 advisories).
DO $$
BEGIN
  ALTER TABLE advisories ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN
  ALTER TABLE advisories ALTER COLUMN data SET STORAGE EXTERNAL;
END $$;

-- The affected entries matching reads are parsed by the application, never by SQL: text, not jsonb.
ALTER TABLE advisory_packages ALTER COLUMN affected TYPE text USING affected::text;

-- The package index is derived from its advisory and written only with it, in the same transaction (the import
-- deletes and rewrites both together). Its foreign key checked every one of 3.4 rows per advisory one by one.
ALTER TABLE advisory_packages DROP CONSTRAINT advisory_packages_advisory_id_fkey;

-- `vulnerability_ids` (migration 0009) answers every lookup by alias; `= ANY (aliases)` never used this GIN index,
-- and keeping it current cost a GIN insert per alias on every import.
DROP INDEX vulnerabilities_aliases_idx;

-- `vulnerability_ids` keeps aliases only: a vulnerability's own id is found by the primary key of `vulnerabilities`,
-- and writing it here again doubled the rows every import adds. The foreign key and the index by vulnerability are
-- replaced by the triggers below, which remove a row's aliases by (alias, id) when it changes or goes.
ALTER TABLE vulnerability_ids DROP CONSTRAINT vulnerability_ids_vulnerability_id_fkey;
DROP INDEX vulnerability_ids_vulnerability_idx;
DELETE FROM vulnerability_ids WHERE alias = vulnerability_id;
DROP TRIGGER vulnerability_ids_insert ON vulnerabilities;
DROP TRIGGER vulnerability_ids_update ON vulnerabilities;
DROP FUNCTION vulnerability_ids_sync();

-- a new row's pairs cannot exist yet (its id is new, and deleted rows take their pairs with them): no conflict check
CREATE FUNCTION vulnerability_ids_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO vulnerability_ids (alias, vulnerability_id)
  SELECT DISTINCT x, n.id FROM new_rows n, unnest(n.aliases) AS x WHERE x <> n.id;
  RETURN NULL;
END $$;

CREATE FUNCTION vulnerability_ids_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM vulnerability_ids i USING old_rows o, unnest(o.aliases) AS x
   WHERE i.alias = x AND i.vulnerability_id = o.id;
  INSERT INTO vulnerability_ids (alias, vulnerability_id)
  SELECT DISTINCT x, n.id FROM new_rows n, unnest(n.aliases) AS x WHERE x <> n.id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION vulnerability_ids_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM vulnerability_ids i USING old_rows o, unnest(o.aliases) AS x
   WHERE i.alias = x AND i.vulnerability_id = o.id;
  RETURN NULL;
END $$;

CREATE TRIGGER vulnerability_ids_insert AFTER INSERT ON vulnerabilities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vulnerability_ids_insert();
CREATE TRIGGER vulnerability_ids_update AFTER UPDATE ON vulnerabilities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vulnerability_ids_update();
CREATE TRIGGER vulnerability_ids_delete AFTER DELETE ON vulnerabilities
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vulnerability_ids_delete();

-- Vendor-CSAF products known only by vendor, product name and version (no purl or CPE helper the regular matchers
-- can use), one row per advisory and CSAF product id, so that an SBOM uploaded after the advisory was imported is
-- also compared by name (issue #5, ADR 0012). Advisory data is shared: no organization column.
-- `name_key` is the product name in lower case with every run of characters other than a-z and 0-9 turned into
-- one space, trimmed: the same function in TypeScript (`csafNameKey`) and in SQL, the lookup key of the SBOM side.
CREATE TABLE csaf_name_products (
  advisory_id text NOT NULL REFERENCES advisories (id),
  product_id text NOT NULL,
  vendor text,
  name text NOT NULL,
  name_key text NOT NULL CHECK (name_key <> ''),
  version text,
  version_range text,
  PRIMARY KEY (advisory_id, product_id)
);
CREATE INDEX csaf_name_products_name_idx ON csaf_name_products (name_key);

-- Rows for CSAF advisories imported before this migration, from the products their stored data names: entries
-- without an OSV package (no usable purl) and without a CPE, or with a CPE when the advisory has no CPE index row.
-- Re-importing an advisory rebuilds its rows exactly.
INSERT INTO csaf_name_products (advisory_id, product_id, vendor, name, name_key, version, version_range)
SELECT DISTINCT ON (a.id, e ->> 'productId') a.id, e ->> 'productId', e ->> 'vendor', e ->> 'name',
       btrim(regexp_replace(lower(e ->> 'name'), '[^a-z0-9]+', ' ', 'g')), e ->> 'version', e ->> 'range'
  FROM advisories a, jsonb_array_elements(a.data::jsonb -> 'affected') AS e
 WHERE a.source = 'csaf'
   AND e ->> 'productId' IS NOT NULL
   AND e -> 'package' IS NULL
   AND btrim(regexp_replace(lower(coalesce(e ->> 'name', '')), '[^a-z0-9]+', ' ', 'g')) <> ''
   AND (e ->> 'cpe' IS NULL OR NOT EXISTS (SELECT 1 FROM advisory_cpes x WHERE x.advisory_id = a.id))
ORDER BY a.id, e ->> 'productId';

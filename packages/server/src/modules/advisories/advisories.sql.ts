import type { Queryable } from '../../db/client.ts';

/**
 * SQL shared by every writer and reader of advisory data (OSV, NVD, CSAF, KEV imports; the vulnerability pages).
 */

/**
 * The vulnerability known by the id in parameter `param` (`$1`): the row with that id if there is one, else the
 * smallest id that has it as an alias (`vulnerability_ids` holds every row's aliases, by a b-tree).
 */
export const vulnerabilityIdOf = (param: string): string =>
  `coalesce((SELECT id FROM vulnerabilities WHERE id = ${param}),
            (SELECT min(vulnerability_id) FROM vulnerability_ids WHERE alias = ${param}))`;

/** The vulnerabilities that any of the ids in parameter `param` (a text[]) names: as their own id or an alias. */
export const vulnerabilitiesNamedBy = (param: string): string =>
  `(SELECT id FROM vulnerabilities WHERE id = ANY (${param})
     UNION SELECT vulnerability_id FROM vulnerability_ids WHERE alias = ANY (${param}))`;

/**
 * Serialises the transactions that write advisories and vulnerabilities (until commit). The OSV import writes new
 * rows with COPY, which cannot skip a row another import inserted meanwhile; alias merging also needs to see what the
 * previous writer merged. Imports are background jobs, so waiting costs nobody a request.
 */
export const lockAdvisoryWrites = async (tx: Queryable): Promise<void> => {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('medsec.advisory-writes'))");
};

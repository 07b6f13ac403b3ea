export { canonicalAliasId, mergeAliases } from './advisories/aliases.ts';
export { formatCpe, isCpeMatch, parseCpe, tryParseCpe } from './advisories/cpe.ts';
export {
  type EcosystemPackage,
  normalizePackageName,
  packageFromPurl,
  purlForPackage,
} from './advisories/ecosystems.ts';
export { parseEpssCsv } from './advisories/epss.ts';
export * from './advisories/feeds.schemas.ts';
export { parseKevCsv, parseKevJson } from './advisories/kev.ts';
export * from './advisories/nvd.schemas.ts';
export { evaluateNvdConfigurations, nvdConfigurationsOf } from './advisories/nvd.ts';
export * from './advisories/osv.schemas.ts';
export { isAffected, isAffectedByPurl, isAffectedByQuery, packageQueryOfPurl } from './advisories/osv.ts';
export { normalizeOsv, type OsvNormalizeResult } from './advisories/osv-normalize.ts';
export { compareVersions, isValidVersion, splitEcosystem } from './advisories/versions/compare.ts';
export { parseVers, versContains } from './advisories/versions/vers.ts';
export * from './api/common.schemas.ts';
export * from './audit/audit.schemas.ts';
export * from './auth/auth.schemas.ts';
export * from './auth/password-policy.rules.ts';
export * from './catalog/catalog.rules.ts';
export * from './catalog/catalog.schemas.ts';
export * from './catalog/catalog-data.schemas.ts';
export * from './clock.ts';
export * from './compliance/compliance.schemas.ts';
export * from './errors.ts';
export * from './ids.ts';
export * from './jobs/jobs.schemas.ts';
export * from './notifications/notifications.schemas.ts';
export * from './organizations/organizations.schemas.ts';
export * from './products/applicability.rules.ts';
export * from './products/products.schemas.ts';
export * from './rbac/rbac.rules.ts';
export * from './sboms/completeness.ts';
export * from './sboms/dependency-graph.ts';
export * from './sboms/detect.ts';
export * from './sboms/diff.ts';
export * from './sboms/explorer.schemas.ts';
export * from './sboms/export.ts';
export { type ExportOptions, writeCycloneDxJson } from './sboms/export-cyclonedx.ts';
export { writeCycloneDxXml } from './sboms/export-xml.ts';
export * from './sboms/parse.ts';
export * from './sboms/sboms.schemas.ts';
export * from './tokens/tokens.schemas.ts';
export * from './users/users.schemas.ts';
export { buildCsafAdvisory, type CsafInput, releaseStatus } from './vulnerabilities/csaf.ts';
export * from './vulnerabilities/csaf-advisories.schemas.ts';
export {
  buildCsafVex,
  type CsafVexFinding,
  type CsafVexInput,
  type CsafVexState,
  type CsafVexVulnerability,
  vexStateOf,
} from './vulnerabilities/csaf-vex.ts';
export * from './vulnerabilities/cvss.schemas.ts';
export { cvssSeverity, parseCvssVector, scoreCvss, validateCvssVector } from './vulnerabilities/cvss.ts';
export * from './vulnerabilities/finding-history.schemas.ts';
export * from './vulnerabilities/findings-series.ts';
export * from './vulnerabilities/vulnerability-detail.schemas.ts';

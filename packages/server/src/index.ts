export { buildApp, DEFAULT_WEB_DIST } from './app.ts';
export { type Config, ConfigError, loadConfig } from './config.ts';
export { anonymousActor, type Ctx, type Deps, systemActor } from './context.ts';
export { createPgliteDb, createPostgresDb, type Db } from './db/client.ts';
export { getMigrationStatus, migrate } from './db/migrate.ts';
export { startServer } from './main.ts';
export { importEpss, importKev, importOsv } from './modules/advisories/advisories.service.ts';
export { syncAdvisories } from './modules/advisories/advisories.sync.ts';
export { importNvd } from './modules/advisories/cpe-matching.service.ts';
export { importCsaf } from './modules/advisories/csaf-import.service.ts';
export { matchSbom } from './modules/advisories/matching.service.ts';
export { listApplicability } from './modules/applicability/applicability.service.ts';
export {
  importOrganizationFramework,
  importOrganizationFrameworkText,
} from './modules/catalog/catalog.import.ts';
export {
  exportRequirements,
  getImdrfMapping,
  getRequirement,
  getServiceModel,
  listApprovalRequirements,
  listFrameworks,
  listRequirements,
  listTemplates,
  requirementsCsv,
  requirementsXlsx,
  searchCatalog,
} from './modules/catalog/catalog.service.ts';
export {
  assessmentChecklist,
  assessmentProgress,
  checklistCsv,
  checklistXlsx,
  listAssessmentItems,
} from './modules/compliance/compliance.service.ts';
export {
  createCsafAdvisory,
  findStoredAdvisory,
  getCsafRevision,
  issueCsafAdvisory,
  listCsafAdvisories,
} from './modules/csaf/csaf-advisories.service.ts';
export { matchCsafNamesOfSbom } from './modules/csaf/csaf-name-matching.service.ts';
export { confirmCsafMatch, dismissCsafMatch, listCsafMatches } from './modules/csaf/csaf-review.service.ts';
export { createFromTemplate, getDocument, listDocuments } from './modules/documents/documents.service.ts';
export { createFileEvidence, listEvidence } from './modules/evidence/evidence.service.ts';
export { exportCsaf, validateCsaf } from './modules/findings/csaf.service.ts';
export { exportCsafVex } from './modules/findings/csaf-vex.service.ts';
export { listFindings } from './modules/findings/findings.service.ts';
export { getFindingsSeries } from './modules/findings/findings-series.service.ts';
export { listOverdueFindings } from './modules/findings/overdue.service.ts';
export {
  buildRemediationReport,
  exportRemediationReport,
  remediationReportDocx,
} from './modules/findings/remediation-report.ts';
export {
  buildCycloneDxVex,
  buildOpenVex,
  findingsCsv,
  findingsLedgerXlsx,
  validateOpenVex,
} from './modules/findings/vex.ts';
export { sendTestNotification } from './modules/notifications/notifications.service.ts';
export {
  createProduct,
  createRelease,
  getProduct,
  listProducts,
  listReleases,
} from './modules/products/products.service.ts';
export {
  assertSbomComponentCount,
  assertSbomSize,
  checkSbomFileName,
  checkSbomSchema,
  readDeclaredSpecVersion,
  readSbomDocument,
  validateCycloneDxXml,
  validateSbomSchema,
} from './modules/sboms/sbom.validate.ts';
export { getDependencyLevel, searchComponents } from './modules/sboms/sbom-explorer.service.ts';
export { listSboms, uploadSbom } from './modules/sboms/sboms.service.ts';
export {
  auditCsvHeader,
  auditCsvRow,
  iterateAuditEvents,
  recordAudit,
  recordAuditAlone,
  verifyAuditChain,
} from './platform/audit/audit.service.ts';
export { completeSetup } from './platform/auth/auth.service.ts';
export { type BackupProgress, createBackup, restoreBackup } from './platform/backup/backup.service.ts';
export { createKeyringFile } from './platform/keys/keyring.ts';
export { rotateKeys } from './platform/keys/keys.service.ts';
export { listMembers, setMemberStatus } from './platform/users/users.service.ts';
export { migrateAndImport, openDb, openRuntime, type Runtime } from './runtime.ts';

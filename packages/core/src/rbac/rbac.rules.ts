/**
 * Roles and permissions. Least privilege: each role gets only what its work needs
 * (KISA web-service requirement on access control by role; MFDS 2025 art. 7 ① user access control).
 * Permissions for modules that arrive in later issues are declared now so roles stay stable.
 */
export const Role = {
  admin: 'admin',
  security_officer: 'security_officer',
  developer: 'developer',
  qa: 'qa',
  approver: 'approver',
  auditor: 'auditor',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES = Object.values(Role) as [Role, ...Role[]];

export const Permission = {
  orgRead: 'org:read',
  orgManage: 'org:manage',
  usersRead: 'users:read',
  usersManage: 'users:manage',
  tokensOwn: 'tokens:own',
  tokensManage: 'tokens:manage',
  auditRead: 'audit:read',
  auditExport: 'audit:export',
  jobsRead: 'jobs:read',
  jobsManage: 'jobs:manage',
  catalogRead: 'catalog:read',
  catalogManage: 'catalog:manage',
  productsRead: 'products:read',
  productsWrite: 'products:write',
  complianceRead: 'compliance:read',
  complianceWrite: 'compliance:write',
  evidenceWrite: 'evidence:write',
  documentsWrite: 'documents:write',
  documentsReview: 'documents:review',
  documentsSign: 'documents:sign',
  sbomsWrite: 'sboms:write',
  vulnerabilitiesTriage: 'vulnerabilities:triage',
  risksWrite: 'risks:write',
  risksAccept: 'risks:accept',
  incidentsWrite: 'incidents:write',
  exportData: 'data:export',
  notificationsRead: 'notifications:read',
  notificationsManage: 'notifications:manage',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

/** Route-level markers that are not permissions: reachable without a session, or with any session. */
export const RouteAccess = {
  public: 'public',
  authenticated: 'authenticated',
  /** A session that has passed the password but still needs MFA, enrolment or a password change. */
  partial: 'partial',
} as const;
export type RouteAccess = (typeof RouteAccess)[keyof typeof RouteAccess];

const P = Permission;
const domainRead: Permission[] = [P.catalogRead, P.productsRead, P.complianceRead];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // The administrator manages people and settings; it does not get product data it has no need for.
  admin: [
    P.orgRead,
    P.orgManage,
    P.usersRead,
    P.usersManage,
    P.tokensOwn,
    P.tokensManage,
    P.auditRead,
    P.jobsRead,
    P.jobsManage,
    P.catalogRead,
    P.notificationsRead,
    P.notificationsManage,
  ],
  security_officer: [
    P.orgRead,
    P.usersRead,
    P.tokensOwn,
    P.auditRead,
    P.jobsRead,
    P.jobsManage,
    ...domainRead,
    P.catalogManage,
    P.productsWrite,
    P.complianceWrite,
    P.evidenceWrite,
    P.documentsWrite,
    P.documentsReview,
    P.sbomsWrite,
    P.vulnerabilitiesTriage,
    P.risksWrite,
    P.incidentsWrite,
    P.exportData,
    P.notificationsRead,
    P.notificationsManage,
  ],
  developer: [
    P.orgRead,
    P.tokensOwn,
    P.jobsRead,
    ...domainRead,
    P.evidenceWrite,
    P.sbomsWrite,
    P.vulnerabilitiesTriage,
  ],
  qa: [
    P.orgRead,
    P.tokensOwn,
    P.jobsRead,
    ...domainRead,
    P.complianceWrite,
    P.evidenceWrite,
    P.documentsReview,
  ],
  approver: [P.orgRead, P.tokensOwn, ...domainRead, P.documentsSign, P.risksAccept],
  // Read-only: every read permission plus exports, never a write.
  auditor: [
    P.orgRead,
    P.usersRead,
    P.auditRead,
    P.auditExport,
    P.jobsRead,
    ...domainRead,
    P.exportData,
    P.notificationsRead,
  ],
};

export const hasPermission = (role: Role, permission: Permission): boolean =>
  ROLE_PERMISSIONS[role].includes(permission);

export const isPermission = (value: string): value is Permission =>
  (Object.values(Permission) as string[]).includes(value);

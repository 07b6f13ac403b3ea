import { describe, expect, it } from 'vitest';
import { hasPermission, Permission, ROLE_PERMISSIONS, ROLES } from './rbac.rules.ts';

const WRITE = /:(manage|write|sign|triage|accept|export|review|own)$/;

describe('roles', () => {
  it('has the six roles of the platform', () => {
    expect(ROLES).toEqual(['admin', 'security_officer', 'developer', 'qa', 'approver', 'auditor']);
  });

  it('keeps the auditor read-only (exports aside)', () => {
    const writes = ROLE_PERMISSIONS.auditor.filter(
      (p) => WRITE.test(p) && p !== Permission.auditExport && p !== Permission.exportData,
    );
    expect(writes).toEqual([]);
  });

  it('does not give the administrator product data it does not need', () => {
    expect(hasPermission('admin', Permission.productsRead)).toBe(false);
    expect(hasPermission('admin', Permission.documentsSign)).toBe(false);
    expect(hasPermission('admin', Permission.usersManage)).toBe(true);
  });

  it('lets only the approver sign documents and accept risks', () => {
    for (const role of ROLES) {
      expect(hasPermission(role, Permission.documentsSign)).toBe(role === 'approver');
      expect(hasPermission(role, Permission.risksAccept)).toBe(role === 'approver');
    }
  });

  it('lets only the administrator and the security officer change notification settings', () => {
    for (const role of ROLES) {
      expect(hasPermission(role, Permission.notificationsManage)).toBe(
        role === 'admin' || role === 'security_officer',
      );
    }
    expect(hasPermission('auditor', Permission.notificationsRead)).toBe(true);
  });

  it('lists no permission twice and only known ones', () => {
    const known = new Set(Object.values(Permission));
    for (const role of ROLES) {
      const list = ROLE_PERMISSIONS[role];
      expect(new Set(list).size).toBe(list.length);
      expect(list.every((p) => known.has(p))).toBe(true);
    }
  });
});

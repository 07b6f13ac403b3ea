import { Alert, Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AuditPage } from '../features/audit/audit-page.tsx';
import { InvitePage } from '../features/auth/invite-page.tsx';
import { LoginPage } from '../features/auth/login-page.tsx';
import { CatalogPage } from '../features/catalog/catalog-page.tsx';
import { BoardPage } from '../features/compliance/board-page.tsx';
import { DashboardPage } from '../features/dashboard/dashboard-page.tsx';
import { DocumentPage } from '../features/documents/document-page.tsx';
import { DocumentsPage } from '../features/documents/documents-page.tsx';
import { EvidenceDetailPage } from '../features/evidence/evidence-detail-page.tsx';
import { EvidencePage } from '../features/evidence/evidence-page.tsx';
import { JobsPage } from '../features/jobs/jobs-page.tsx';
import { NotificationsPage } from '../features/notifications/notifications-page.tsx';
import { OrganizationPage } from '../features/organization/organization-page.tsx';
import { PlaceholderPage } from '../features/placeholders/placeholder-page.tsx';
import { ProductPage } from '../features/products/product-page.tsx';
import { ProductsPage } from '../features/products/products-page.tsx';
import { ProfilePage } from '../features/profile/profile-page.tsx';
import { SbomPage } from '../features/sboms/sbom-page.tsx';
import { SbomsPage } from '../features/sboms/sboms-page.tsx';
import { SetupPage } from '../features/setup/setup-page.tsx';
import { TokensPage } from '../features/tokens/tokens-page.tsx';
import { UsersPage } from '../features/users/users-page.tsx';
import { CsafAdvisoryPage, CsafPage } from '../features/vulnerabilities/csaf-pages.tsx';
import { FindingsPage } from '../features/vulnerabilities/findings-page.tsx';
import { OverduePage } from '../features/vulnerabilities/overdue-page.tsx';
import { VulnerabilityPage } from '../features/vulnerabilities/vulnerability-page.tsx';
import { useSession } from './session.tsx';
import { Shell } from './shell.tsx';

/** Only a fully signed-in session reaches the shell; anything else goes to setup or sign-in. */
const RequireSession = ({ children }: { children: ReactNode }) => {
  const { session, needsSetup } = useSession();
  const location = useLocation();
  if (needsSetup) {
    return <Navigate to="/setup" replace />;
  }
  if (session?.state !== 'active') {
    const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname)}`;
    return <Navigate to={`/login${next}`} replace />;
  }
  return <>{children}</>;
};

/** A page the role cannot read says so, instead of showing the API's refusal. */
const RequirePermission = ({ permission, children }: { permission: string; children: ReactNode }) => {
  const { t } = useTranslation();
  const { can } = useSession();
  if (!can(permission)) {
    return (
      <Alert color="gray" variant="light" data-testid="no-access" maw={720}>
        {t('common.noAccess')}
      </Alert>
    );
  }
  return <>{children}</>;
};

export const App = () => {
  const { loading } = useSession();
  if (loading) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  return (
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/invite/:token" element={<InvitePage />} />
      <Route
        element={
          <RequireSession>
            <Shell />
          </RequireSession>
        }
      >
        <Route index element={<DashboardPage />} />
        <Route path="catalog" element={<CatalogPage />} />
        <Route
          path="products"
          element={
            <RequirePermission permission="products:read">
              <ProductsPage />
            </RequirePermission>
          }
        />
        <Route
          path="products/:id"
          element={
            <RequirePermission permission="products:read">
              <ProductPage />
            </RequirePermission>
          }
        />
        <Route
          path="products/:id/releases/:releaseId"
          element={
            <RequirePermission permission="compliance:read">
              <BoardPage />
            </RequirePermission>
          }
        />
        <Route
          path="evidence"
          element={
            <RequirePermission permission="compliance:read">
              <EvidencePage />
            </RequirePermission>
          }
        />
        <Route
          path="evidence/:id"
          element={
            <RequirePermission permission="compliance:read">
              <EvidenceDetailPage />
            </RequirePermission>
          }
        />
        <Route
          path="products/:id/releases/:releaseId/sboms"
          element={
            <RequirePermission permission="products:read">
              <SbomPage />
            </RequirePermission>
          }
        />
        <Route
          path="sboms"
          element={
            <RequirePermission permission="products:read">
              <SbomsPage />
            </RequirePermission>
          }
        />
        <Route
          path="vulnerabilities"
          element={
            <RequirePermission permission="products:read">
              <FindingsPage />
            </RequirePermission>
          }
        />
        <Route
          path="csaf"
          element={
            <RequirePermission permission="products:read">
              <CsafPage />
            </RequirePermission>
          }
        />
        <Route
          path="csaf/:advisoryId"
          element={
            <RequirePermission permission="products:read">
              <CsafAdvisoryPage />
            </RequirePermission>
          }
        />
        <Route
          path="vulnerabilities/:vulnerabilityId"
          element={
            <RequirePermission permission="products:read">
              <VulnerabilityPage />
            </RequirePermission>
          }
        />
        <Route path="risks" element={<PlaceholderPage module="risks" />} />
        <Route path="incidents" element={<PlaceholderPage module="incidents" />} />
        <Route
          path="documents"
          element={
            <RequirePermission permission="compliance:read">
              <DocumentsPage />
            </RequirePermission>
          }
        />
        <Route
          path="documents/:id"
          element={
            <RequirePermission permission="compliance:read">
              <DocumentPage />
            </RequirePermission>
          }
        />
        <Route path="users" element={<UsersPage />} />
        <Route path="organization" element={<OrganizationPage />} />
        <Route path="tokens" element={<TokensPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="jobs" element={<JobsPage />} />
        <Route
          path="overdue"
          element={
            <RequirePermission permission="products:read">
              <OverduePage />
            </RequirePermission>
          }
        />
        <Route
          path="notifications"
          element={
            <RequirePermission permission="notifications:read">
              <NotificationsPage />
            </RequirePermission>
          }
        />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
};

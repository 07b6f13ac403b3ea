import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { AuditPage } from '../features/audit/audit-page.tsx';
import { InvitePage } from '../features/auth/invite-page.tsx';
import { LoginPage } from '../features/auth/login-page.tsx';
import { CatalogPage } from '../features/catalog/catalog-page.tsx';
import { DashboardPage } from '../features/dashboard/dashboard-page.tsx';
import { JobsPage } from '../features/jobs/jobs-page.tsx';
import { OrganizationPage } from '../features/organization/organization-page.tsx';
import { PlaceholderPage } from '../features/placeholders/placeholder-page.tsx';
import { ProfilePage } from '../features/profile/profile-page.tsx';
import { SetupPage } from '../features/setup/setup-page.tsx';
import { TokensPage } from '../features/tokens/tokens-page.tsx';
import { UsersPage } from '../features/users/users-page.tsx';
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
        <Route path="products" element={<PlaceholderPage module="products" />} />
        <Route path="sboms" element={<PlaceholderPage module="sboms" />} />
        <Route path="vulnerabilities" element={<PlaceholderPage module="vulnerabilities" />} />
        <Route path="risks" element={<PlaceholderPage module="risks" />} />
        <Route path="incidents" element={<PlaceholderPage module="incidents" />} />
        <Route path="documents" element={<PlaceholderPage module="documents" />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="organization" element={<OrganizationPage />} />
        <Route path="tokens" element={<TokensPage />} />
        <Route path="audit" element={<AuditPage />} />
        <Route path="jobs" element={<JobsPage />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
};

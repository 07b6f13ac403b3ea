import {
  Anchor,
  AppShell,
  Avatar,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Select,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { post } from '../api/client.ts';
import { LanguageSwitch } from '../ui/language-switch.tsx';
import { IdleWarning } from './idle-warning.tsx';
import { ReauthModal } from './reauth-modal.tsx';
import { useSession } from './session.tsx';

/**
 * Navigation: the modules (later issues fill them) and the administration pages, shown by permission. A module with a
 * permission is hidden from roles that cannot read it (e.g. the administrator has no product data).
 */
const MODULES: { key: string; permission?: string }[] = [
  { key: 'dashboard' },
  { key: 'catalog' },
  { key: 'products', permission: 'products:read' },
  { key: 'evidence', permission: 'compliance:read' },
  { key: 'sboms', permission: 'products:read' },
  { key: 'vulnerabilities', permission: 'products:read' },
  { key: 'overdue', permission: 'products:read' },
  { key: 'csaf', permission: 'products:read' },
  { key: 'risks' },
  { key: 'incidents' },
  { key: 'documents', permission: 'compliance:read' },
];
const ADMIN: { key: string; permission: string }[] = [
  { key: 'users', permission: 'users:read' },
  { key: 'organization', permission: 'org:read' },
  { key: 'tokens', permission: 'tokens:own' },
  { key: 'audit', permission: 'audit:read' },
  { key: 'jobs', permission: 'jobs:read' },
  { key: 'notifications', permission: 'notifications:read' },
];

export const Shell = () => {
  const { t } = useTranslation();
  const { session, signOut, can } = useSession();
  const [opened, { toggle }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  if (!session) {
    return null;
  }
  const path = (key: string) => (key === 'dashboard' ? '/' : `/${key}`);
  const isActive = (key: string) =>
    key === 'dashboard' ? location.pathname === '/' : location.pathname.startsWith(`/${key}`);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" />
            <Text fw={700} c="teal.8">
              {t('app.name')}
            </Text>
            {session.memberships.length > 1 ? (
              <Select
                size="xs"
                aria-label={t('nav.switchOrg')}
                data-testid="org-switch"
                value={session.organization.id}
                data={session.memberships.map((m) => ({
                  value: m.organizationId,
                  label: m.organizationName,
                }))}
                onChange={(value) => {
                  if (value && value !== session.organization.id) {
                    void post('/api/v1/auth/switch-organization', { organizationId: value }).then(
                      () => void navigate('/'),
                    );
                  }
                }}
                allowDeselect={false}
              />
            ) : (
              <Text size="sm" c="dimmed" data-testid="org-name">
                {session.organization.name}
              </Text>
            )}
          </Group>
          <Group gap="md" wrap="nowrap">
            <LanguageSwitch />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton data-testid="user-menu">
                  <Group gap={6} wrap="nowrap">
                    <Avatar size="sm" color="teal" radius="xl">
                      {session.user.displayName.slice(0, 1).toUpperCase()}
                    </Avatar>
                    <div>
                      <Text size="sm" lh={1.1}>
                        {session.user.displayName}
                      </Text>
                      <Text size="xs" c="dimmed" lh={1.1}>
                        {t(`roles.${session.role}`)}
                      </Text>
                    </div>
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item component={Link} to="/profile">
                  {t('nav.profile')}
                </Menu.Item>
                <Menu.Item component="a" href="/api/v1/docs" target="_blank" rel="noopener noreferrer">
                  {t('nav.apiDocs')}
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item color="red" data-testid="sign-out" onClick={() => void signOut()}>
                  {t('nav.signOut')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" data-testid="app-nav">
        <AppShell.Section grow component={ScrollArea}>
          {MODULES.filter((m) => !m.permission || can(m.permission)).map(({ key }) => (
            <NavLink
              key={key}
              component={Link}
              to={path(key)}
              label={t(`nav.${key}`)}
              active={isActive(key)}
              onClick={() => opened && toggle()}
              data-testid={`nav-${key}`}
            />
          ))}
          {ADMIN.some((a) => can(a.permission)) && (
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
              {t('nav.administration')}
            </Text>
          )}
          {ADMIN.filter((a) => can(a.permission)).map(({ key }) => (
            <NavLink
              key={key}
              component={Link}
              to={path(key)}
              label={t(`nav.${key}`)}
              active={isActive(key)}
              onClick={() => opened && toggle()}
              data-testid={`nav-${key}`}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <Anchor size="xs" c="dimmed" href="/api/v1/docs" target="_blank" rel="noopener noreferrer" px="sm">
            {t('nav.apiDocs')}
          </Anchor>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Outlet />
      </AppShell.Main>
      <ReauthModal />
      <IdleWarning />
    </AppShell>
  );
};

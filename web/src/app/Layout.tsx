import { AppShell, Burger, Group, Menu, NavLink, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { isStaff, useLogout, type Me } from '../features/auth/session.ts';
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx';

interface NavItem {
  href: string;
  label: string;
}

function navFor(me: Me, t: (k: string) => string): NavItem[] {
  if (!isStaff(me)) return [{ href: '/portal', label: t('nav.portal') }];
  const items = [
    { href: '/console', label: t('nav.queue') },
    { href: '/console/call', label: t('nav.logCall') },
    { href: '/console/reports/sla', label: t('nav.slaReport') },
  ];
  if (me.role === 'admin' || me.role === 'manager') {
    items.push(
      { href: '/admin/teams', label: t('nav.teams') },
      { href: '/admin/calendars', label: t('nav.calendars') },
      { href: '/admin/sla', label: t('nav.slaPolicies') },
    );
  }
  if (me.role === 'admin') {
    items.push(
      { href: '/admin/organizations', label: t('nav.organizations') },
      { href: '/admin/people', label: t('nav.people') },
      { href: '/admin/users', label: t('nav.users') },
      { href: '/admin/sso', label: t('nav.sso') },
      { href: '/admin/audit', label: t('nav.auditLog') },
    );
  } else {
    items.push({ href: '/admin/people', label: t('nav.people') });
  }
  return items;
}

export function Layout({ me, children }: { me: Me; children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  const logout = useLogout();
  const items = navFor(me, t);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Text component={Link} href="/" fw={700} size="lg" c="blue.8" td="none">
              Vigie
            </Text>
          </Group>
          <Group wrap="nowrap" gap="sm">
            <LanguageSwitch />
            <Menu position="bottom-end">
              <Menu.Target>
                {/* The accessible name starts with the visible name (WCAG 2.5.3, label in name). */}
                <UnstyledButton>
                  <Text size="sm" fw={500} truncate maw={160}>
                    {me.name}
                  </Text>
                  <VisuallyHidden>{t('nav.account')}</VisuallyHidden>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{me.email}</Menu.Label>
                <Menu.Item component={Link} href="/account">
                  {t('nav.myAccount')}
                </Menu.Item>
                <Menu.Item onClick={() => logout.mutate()}>{t('nav.logout')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.main')}>
        {items.map((item) => (
          <NavLink key={item.href} component={Link} href={item.href} label={item.label} active={location === item.href} onClick={close} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}

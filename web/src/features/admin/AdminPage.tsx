import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Me } from '../auth/session.ts';
import { AuditLogSection } from './AuditLogSection.tsx';
import { CalendarsSection } from './CalendarsSection.tsx';
import { OrganizationsSection } from './OrganizationsSection.tsx';
import { SlaPoliciesSection } from './SlaPoliciesSection.tsx';
import { SsoSection } from './SsoSection.tsx';
import { PeopleSection } from './PeopleSection.tsx';
import { TeamsSection } from './TeamsSection.tsx';
import { UsersSection } from './UsersSection.tsx';

export type Section = 'organizations' | 'people' | 'users' | 'teams' | 'calendars' | 'sla' | 'sso' | 'audit';

/** Which admin sections a role may open; the API enforces the same rules. */
export function sectionsFor(role: Me['role']): Section[] {
  switch (role) {
    case 'admin':
      return ['organizations', 'people', 'users', 'teams', 'calendars', 'sla', 'sso', 'audit'];
    case 'manager':
      return ['teams', 'people', 'calendars', 'sla'];
    case 'agent':
      return ['people'];
    case 'requester':
      return [];
  }
}

/** `/admin/:section`: organizations, people, users or teams. */
export default function AdminPage({ section, me }: { section: string; me: Me }) {
  const { t } = useTranslation();
  const allowed = sectionsFor(me.role);
  if (!allowed.includes(section as Section)) {
    return (
      <Alert color="yellow" role="alert" title={t('admin.errors.noAccessTitle')}>
        {t('admin.errors.noAccess')}
      </Alert>
    );
  }
  switch (section as Section) {
    case 'organizations':
      return <OrganizationsSection />;
    case 'people':
      return <PeopleSection />;
    case 'users':
      return <UsersSection me={me} />;
    case 'teams':
      return <TeamsSection />;
    case 'calendars':
      return <CalendarsSection />;
    case 'sla':
      return <SlaPoliciesSection />;
    case 'sso':
      return <SsoSection />;
    case 'audit':
      return <AuditLogSection />;
  }
}

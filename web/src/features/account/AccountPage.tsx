import { Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../auth/session.ts';
import { ApiTokensSection } from './ApiTokensSection.tsx';
import { PasswordSection } from './PasswordSection.tsx';
import { ProfileSection } from './ProfileSection.tsx';
import { SessionsSection } from './SessionsSection.tsx';
import { TwoFactorSection } from './TwoFactorSection.tsx';

/** `/account`: what every signed-in user manages for themselves (sign-in security, sessions, API tokens). */
export default function AccountPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('account.title')} · Vigie`;
  }, [t]);
  return (
    <Stack maw={900} gap="xl">
      <div>
        <Title order={1} size="h2">
          {t('account.title')}
        </Title>
        <Text c="dimmed">{me.email}</Text>
      </div>
      <ProfileSection me={me} />
      <PasswordSection />
      <TwoFactorSection me={me} />
      <SessionsSection />
      <ApiTokensSection />
    </Stack>
  );
}

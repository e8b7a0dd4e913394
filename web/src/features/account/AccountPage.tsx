import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Me } from '../auth/session.ts';
import { TwoFactorSection } from './TwoFactorSection.tsx';

/** `/account`: what every signed-in user manages for themselves (sign-in security, sessions, API tokens). */
export default function AccountPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <Stack maw={900} gap="xl">
      <div>
        <Title order={1} size="h2">
          {t('account.title')}
        </Title>
        <Text c="dimmed">{me.email}</Text>
      </div>
      <TwoFactorSection me={me} />
    </Stack>
  );
}

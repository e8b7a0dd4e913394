import { Alert, Button, Fieldset, Group, Loader, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { SecuritySettings as SecuritySettingsSchema } from '../../../../contract/settings.ts';
import { api } from '../../app/api.ts';
import { twoFactorErrorText, type TwoFactorStatus } from '../auth/two-factor.ts';
import type { User } from './api.ts';

type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;
const SETTINGS_KEY = ['admin', 'settings', 'security'];

/** Admins: "require two-factor sign-in for staff", provider-wide. */
export function StaffTwoFactorSwitch() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => api<SecuritySettings>('/settings/security') });
  // What the switch shows while changes are on their way: it moves at once, under the pointer. Once the last
  // change has ended the setting is read again, so answers arriving out of order never move it back.
  const [shown, setShown] = useState<boolean | null>(null);
  const last = () => qc.isMutating({ mutationKey: SETTINGS_KEY }) === 1;
  const save = useMutation({
    mutationKey: SETTINGS_KEY,
    mutationFn: (body: SecuritySettings) => api<SecuritySettings>('/settings/security', { method: 'PUT', body }),
    onSuccess: (saved) => {
      notifications.show({ color: 'green', message: saved.requireTwoFactorForStaff ? t('twoFactor.admin.requireSaved') : t('twoFactor.admin.notRequiredSaved') });
    },
    onError: (e) => {
      notifications.show({ color: 'red', message: twoFactorErrorText(e, t) });
    },
    onSettled: async () => {
      if (!last()) return;
      await qc.invalidateQueries({ queryKey: SETTINGS_KEY });
      if (qc.isMutating({ mutationKey: SETTINGS_KEY }) === 0) setShown(null);
    },
  });
  return (
    <Switch
      label={t('twoFactor.admin.requireForStaff')}
      description={t('twoFactor.admin.requireForStaffHelp')}
      disabled={!settings.data}
      checked={shown ?? settings.data?.requireTwoFactorForStaff ?? false}
      onChange={(e) => {
        const value = e.currentTarget.checked;
        setShown(value);
        save.mutate({ requireTwoFactorForStaff: value });
      }}
      maw={420}
    />
  );
}

/** In a user's edit form: their two-factor sign-in, and a reset for a lost phone. */
export function UserTwoFactorReset({ user }: { user: User }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ['admin', 'users', user.id, 'two-factor'];
  const status = useQuery({ queryKey: key, queryFn: () => api<TwoFactorStatus>(`/users/${user.id}/two-factor`) });
  const [confirming, setConfirming] = useState(false);
  const reset = useMutation({
    mutationFn: () => api<void>(`/users/${user.id}/two-factor`, { method: 'DELETE' }),
    onSuccess: async () => {
      setConfirming(false);
      notifications.show({ color: 'green', message: t('twoFactor.admin.resetDone', { name: user.name }) });
      await qc.invalidateQueries({ queryKey: key });
    },
  });
  return (
    <Fieldset legend={t('twoFactor.admin.userStatus')} variant="unstyled">
      {status.isPending ? (
        <Loader role="status" size="sm" aria-label={t('common.loading')} />
      ) : status.isError ? (
        <Alert color="red">{twoFactorErrorText(status.error, t)}</Alert>
      ) : (
        <Group justify="space-between" align="center">
          <Text size="sm">{status.data.enabled ? t('twoFactor.admin.userOn', { count: status.data.recoveryCodesLeft }) : t('twoFactor.admin.userOff')}</Text>
          {status.data.enabled &&
            (confirming ? (
              <Group gap="xs">
                <Button color="red" size="xs" loading={reset.isPending} onClick={() => reset.mutate()}>
                  {t('twoFactor.admin.resetConfirm')}
                </Button>
                <Button variant="default" size="xs" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </Button>
              </Group>
            ) : (
              <Button variant="default" size="xs" onClick={() => setConfirming(true)}>
                {t('twoFactor.admin.reset')}
              </Button>
            ))}
        </Group>
      )}
      {confirming && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('twoFactor.admin.resetHelp')}
        </Text>
      )}
      {reset.error && (
        <Alert color="red" mt="xs">
          {twoFactorErrorText(reset.error, t)}
        </Alert>
      )}
    </Fieldset>
  );
}

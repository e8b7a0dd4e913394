import { Alert, Button, Group, PasswordInput, SimpleGrid } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accountErrors, useChangePassword } from './api.ts';
import { Section } from './Section.tsx';

const MIN_PASSWORD = 10;
const EMPTY = { currentPassword: '', newPassword: '', confirm: '' };

/** Change password: the current one proves it is you; every other session is signed out. */
export function PasswordSection() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(EMPTY);
  const [clientErrors, setClientErrors] = useState<Partial<Record<keyof typeof EMPTY, string>>>({});
  const [done, setDone] = useState<number | null>(null);
  const server = accountErrors(change.error, t);
  const errors = { ...server.fields, ...clientErrors };

  const set = (key: keyof typeof EMPTY, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setClientErrors((e) => ({ ...e, [key]: undefined }));
    setDone(null);
    if (change.error) change.reset();
  };
  const focusFirstError = () => requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = {
      currentPassword: values.currentPassword === '' ? t('admin.errors.required') : undefined,
      newPassword: values.newPassword.length < MIN_PASSWORD ? t('account.errors.passwordLength') : undefined,
      confirm: values.confirm !== values.newPassword ? t('account.password.mismatch') : undefined,
    };
    setClientErrors(found);
    if (Object.values(found).some(Boolean)) return focusFirstError();
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: (r) => {
          setValues(EMPTY);
          setDone(r.otherSessionsEnded);
        },
        onError: focusFirstError,
      },
    );
  };

  return (
    <Section title={t('account.password.title')} description={t('account.password.help')}>
      <form ref={formRef} onSubmit={submit} noValidate aria-label={t('account.password.title')}>
        {done !== null && (
          <Alert color="green" role="status" mb="md">
            {t('account.password.changed', { count: done })}
          </Alert>
        )}
        {server.general && (
          <Alert color="red" role="alert" mb="md">
            {server.general}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <PasswordInput
            label={t('account.password.current')}
            autoComplete="current-password"
            required
            value={values.currentPassword}
            onChange={(e) => set('currentPassword', e.currentTarget.value)}
            error={errors.currentPassword}
          />
          <PasswordInput
            label={t('account.password.new')}
            description={t('admin.users.passwordHelp', { count: MIN_PASSWORD })}
            autoComplete="new-password"
            required
            value={values.newPassword}
            onChange={(e) => set('newPassword', e.currentTarget.value)}
            error={errors.newPassword}
          />
          <PasswordInput
            label={t('account.password.confirm')}
            autoComplete="new-password"
            required
            value={values.confirm}
            onChange={(e) => set('confirm', e.currentTarget.value)}
            error={errors.confirm}
          />
        </SimpleGrid>
        <Group mt="md">
          <Button type="submit" loading={change.isPending}>
            {t('account.password.submit')}
          </Button>
        </Group>
      </form>
    </Section>
  );
}

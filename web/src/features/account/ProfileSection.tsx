import { Alert, Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Lang, setLanguage } from '../../app/i18n.ts';
import type { Me } from '../auth/session.ts';
import { accountErrors, useSaveProfile } from './api.ts';
import { Section } from './Section.tsx';

/** The user's own name and language (the language of their e-mails, and of this app unless switched). */
export function ProfileSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const save = useSaveProfile(me.id);
  const [name, setName] = useState(me.name);
  const [locale, setLocale] = useState<Lang | null>(me.locale);
  const [saved, setSaved] = useState(false);
  const [nameError, setNameError] = useState<string>();
  const server = accountErrors(save.error, t);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() === '') return setNameError(t('admin.errors.required'));
    save.mutate(
      { name: name.trim(), locale },
      {
        onSuccess: () => {
          setSaved(true);
          if (locale) setLanguage(locale, true);
        },
      },
    );
  };
  const edited = () => {
    setSaved(false);
    setNameError(undefined);
    if (save.error) save.reset();
  };

  return (
    <Section title={t('account.profile.title')}>
      <form onSubmit={submit} noValidate aria-label={t('account.profile.title')}>
        {saved && (
          <Alert color="green" role="status" mb="md">
            {t('account.profile.saved')}
          </Alert>
        )}
        {server.general && (
          <Alert color="red" role="alert" mb="md">
            {server.general}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('account.profile.name')}
            required
            maxLength={200}
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              edited();
            }}
            error={nameError ?? server.fields.name}
          />
          <Select
            label={t('account.profile.language')}
            description={t('account.profile.languageHelp')}
            allowDeselect={false}
            value={locale ?? 'default'}
            onChange={(v) => {
              setLocale(v === 'fr' || v === 'en' ? v : null);
              edited();
            }}
            data={[
              { value: 'default', label: t('account.profile.languageDefault') },
              { value: 'fr', label: 'Français' },
              { value: 'en', label: 'English' },
            ]}
          />
        </SimpleGrid>
        <Group mt="md">
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </form>
    </Section>
  );
}

import { Select, SimpleGrid, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Person, useAllOrganizations, useSave } from './api.ts';
import { DirectoryList } from './DirectoryList.tsx';
import { check, compact, type FieldErrors, FormModal, saveErrors } from './FormModal.tsx';
import { LocaleSelect, OrganizationSelect, useOrganizationNames } from './fields.tsx';

const FIELDS = ['orgId', 'name', 'email', 'phone', 'locale'] as const;

/** Contacts of the organizations in the user's scope (every staff member). */
export function PeopleSection() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Person | 'new' | null>(null);
  const [orgId, setOrgId] = useState<string | null>(null);
  const orgName = useOrganizationNames();
  const orgs = useAllOrganizations();
  return (
    <>
      <DirectoryList<Person>
        resource="people"
        title={t('admin.people.title')}
        createLabel={t('admin.people.create')}
        searchable
        filters={{ orgId: orgId ?? undefined }}
        extraFilters={
          <Select
            label={t('admin.people.organization')}
            placeholder={t('common.all')}
            searchable
            clearable
            nothingFoundMessage={t('admin.nothingFound')}
            value={orgId}
            onChange={setOrgId}
            data={(orgs.data ?? []).map((o) => ({ value: String(o.id), label: o.name }))}
            w={240}
          />
        }
        rowName={(p) => p.name}
        onCreate={() => setEditing('new')}
        onEdit={setEditing}
        columns={[
          { header: t('admin.people.name'), render: (p) => p.name },
          { header: t('admin.people.organization'), render: (p) => orgName(p.orgId) },
          { header: t('admin.people.email'), render: (p) => p.email ?? '' },
          { header: t('admin.people.phone'), render: (p) => p.phone ?? '' },
          { header: t('admin.locale.label'), render: (p) => (p.locale ? t(`admin.locale.${p.locale}`) : t('admin.locale.default')) },
        ]}
      />
      {editing && <PersonForm person={editing === 'new' ? null : editing} defaultOrgId={orgId} onClose={() => setEditing(null)} />}
    </>
  );
}

function PersonForm({ person, defaultOrgId, onClose }: { person: Person | null; defaultOrgId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSave<Person>('people');
  const [values, setValues] = useState({
    orgId: person ? String(person.orgId) : defaultOrgId,
    name: person?.name ?? '',
    email: person?.email ?? '',
    phone: person?.phone ?? '',
    locale: person?.locale ?? null,
  });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const server = saveErrors(save.error, FIELDS, t);
  const errors = { ...server.fields, ...clientErrors };
  const set = <K extends keyof typeof values>(key: K, value: (typeof values)[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setClientErrors((e) => ({ ...e, [key]: undefined }));
  };

  const submit = () => {
    const found = compact({
      orgId: values.orgId ? undefined : t('admin.errors.required'),
      name: check.required(values.name, t),
      email: check.email(values.email, t),
    });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = {
      name: values.name.trim(),
      email: values.email.trim() || null,
      phone: values.phone.trim() || null,
      locale: values.locale,
      // The organization of a contact is fixed once created (its incidents belong to it).
      ...(!person && { orgId: Number(values.orgId) }),
    };
    save.mutate(
      { id: person?.id, body },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: t('admin.saved', { name: saved.name }) });
          onClose();
        },
      },
    );
  };

  return (
    <FormModal
      title={person ? t('admin.people.editTitle', { name: person.name }) : t('admin.people.create')}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      generalError={server.general}
    >
      <OrganizationSelect
        label={t('admin.people.organization')}
        description={person ? t('admin.people.organizationFixed') : undefined}
        required
        disabled={!!person}
        value={values.orgId}
        onChange={(v) => set('orgId', v)}
        error={errors.orgId}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('admin.people.name')} required data-autofocus value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} maxLength={200} />
        <TextInput label={t('admin.people.email')} type="email" value={values.email} onChange={(e) => set('email', e.currentTarget.value)} error={errors.email} maxLength={320} />
        <TextInput label={t('admin.people.phone')} type="tel" value={values.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={errors.phone} maxLength={50} />
        <LocaleSelect value={values.locale} onChange={(v) => set('locale', v)} error={errors.locale} />
      </SimpleGrid>
    </FormModal>
  );
}

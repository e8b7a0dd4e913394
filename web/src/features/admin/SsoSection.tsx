import { Badge, Button, Checkbox, CopyButton, Group, PasswordInput, Select, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { IdentityProvider as IdentityProviderSchema } from '../../../../contract/sso.ts';
import { api } from '../../app/api.ts';
import { useAllOrganizations, useSave } from './api.ts';
import { DirectoryList } from './DirectoryList.tsx';
import { check, compact, type FieldErrors, FormModal, saveErrors } from './FormModal.tsx';
import { OrganizationSelect, useOrganizationNames } from './fields.tsx';

type IdentityProvider = z.infer<typeof IdentityProviderSchema>;
type Role = IdentityProvider['defaultRole'];
const FIELDS = ['name', 'orgId', 'issuer', 'clientId', 'clientSecret', 'scopes', 'emailDomains', 'defaultRole', 'roleClaim', 'roleMappings'] as const;
const STAFF_DEFAULT_ROLES: Role[] = ['agent', 'manager'];
const STAFF_MAPPED_ROLES: Role[] = ['agent', 'manager', 'admin'];

/** OpenID Connect identity providers, one or more per organization (admins only). */
export function SsoSection() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<IdentityProvider | 'new' | null>(null);
  const orgName = useOrganizationNames();
  const callbackUrl = useCallbackUrl();
  return (
    <Stack>
      <DirectoryList<IdentityProvider>
        resource="identity-providers"
        title={t('admin.sso.title')}
        createLabel={t('admin.sso.create')}
        searchable={false}
        rowName={(p) => p.name}
        onCreate={() => setEditing('new')}
        onEdit={setEditing}
        columns={[
          { header: t('admin.sso.name'), render: (p) => <Text size="sm" fw={500}>{p.name}</Text> },
          { header: t('admin.sso.organization'), render: (p) => orgName(p.orgId) },
          { header: t('admin.sso.emailDomains'), render: (p) => p.emailDomains.join(', ') || '—' },
          {
            header: t('admin.sso.rules'),
            render: (p) => (
              <Group gap={4}>
                {p.showButton && <Badge variant="light">{t('admin.sso.badge.button')}</Badge>}
                {p.linkByEmail && <Badge variant="light" color="gray">{t('admin.sso.badge.link')}</Badge>}
                {p.autoCreate && <Badge variant="light" color="grape">{t('admin.sso.badge.create', { role: t(`admin.role.${p.defaultRole}`) })}</Badge>}
              </Group>
            ),
          },
        ]}
      />
      <CallbackUrl url={callbackUrl} />
      {editing && <ProviderForm provider={editing === 'new' ? null : editing} callbackUrl={callbackUrl} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

/** The redirect URI to register at the identity provider: the server's (VIGIE_PUBLIC_URL), else this address. */
function useCallbackUrl(): string {
  const first = useQuery({ queryKey: ['admin', 'identity-providers', 'callback'], queryFn: () => api<{ items: IdentityProvider[] }>('/identity-providers?limit=1') });
  return first.data?.items[0]?.callbackUrl ?? `${window.location.origin}/api/v1/auth/sso/callback`;
}

function CallbackUrl({ url }: { url: string }) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('admin.sso.callbackUrl')}
      description={t('admin.sso.callbackHelp')}
      value={url}
      readOnly
      rightSectionWidth={96}
      rightSection={
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Button size="compact-sm" variant="light" onClick={copy}>
              {copied ? t('admin.sso.copied') : t('admin.sso.copy')}
            </Button>
          )}
        </CopyButton>
      }
    />
  );
}

function ProviderForm({ provider, callbackUrl, onClose }: { provider: IdentityProvider | null; callbackUrl: string; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSave<IdentityProvider>('identity-providers');
  const orgs = useAllOrganizations();
  const [values, setValues] = useState({
    name: provider?.name ?? '',
    orgId: provider ? String(provider.orgId) : null,
    issuer: provider?.issuer ?? '',
    clientId: provider?.clientId ?? '',
    clientSecret: '',
    removeSecret: false,
    scopes: provider?.scopes ?? 'openid email profile',
    emailDomains: provider?.emailDomains ?? [],
    showButton: provider?.showButton ?? true,
    linkByEmail: provider?.linkByEmail ?? false,
    autoCreate: provider?.autoCreate ?? false,
    defaultRole: provider?.defaultRole ?? null,
    roleClaim: provider?.roleClaim ?? '',
    roleMappings: provider?.roleMappings ?? [],
  });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const server = saveErrors(save.error, FIELDS, t);
  const errors = { ...server.fields, ...clientErrors };
  const set = <K extends keyof typeof values>(key: K, value: (typeof values)[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setClientErrors((e) => ({ ...e, [key]: undefined }));
  };
  const forStaff = useMemo(() => orgs.data?.find((o) => String(o.id) === values.orgId)?.isProvider ?? false, [orgs.data, values.orgId]);
  // A client organization's provider only creates requesters; staff get agent unless the admin says manager.
  const role: Role = forStaff ? (values.defaultRole && STAFF_DEFAULT_ROLES.includes(values.defaultRole) ? values.defaultRole : 'agent') : 'requester';

  const submit = () => {
    const found = compact({
      name: check.required(values.name, t),
      orgId: values.orgId ? undefined : t('admin.errors.required'),
      issuer: check.required(values.issuer, t),
      clientId: check.required(values.clientId, t),
    });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const secret = values.removeSecret ? { clientSecret: null } : values.clientSecret ? { clientSecret: values.clientSecret } : {};
    const body = {
      name: values.name.trim(),
      orgId: Number(values.orgId),
      issuer: values.issuer.trim(),
      clientId: values.clientId.trim(),
      ...secret,
      scopes: values.scopes.trim() || 'openid email profile',
      emailDomains: values.emailDomains,
      showButton: values.showButton,
      linkByEmail: values.linkByEmail,
      autoCreate: values.autoCreate,
      defaultRole: role,
      roleClaim: forStaff && values.roleClaim.trim() ? values.roleClaim.trim() : null,
      roleMappings: forStaff ? values.roleMappings.filter((m) => m.value.trim()) : [],
    };
    save.mutate(
      { id: provider?.id, body },
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
      title={provider ? t('admin.sso.editTitle', { name: provider.name }) : t('admin.sso.create')}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      generalError={server.general}
    >
      <TextInput label={t('admin.sso.name')} description={t('admin.sso.nameHelp')} required data-autofocus value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} maxLength={100} />
      <OrganizationSelect label={t('admin.sso.organization')} description={t('admin.sso.organizationHelp')} required value={values.orgId} onChange={(v) => set('orgId', v)} error={errors.orgId} />
      <TextInput
        label={t('admin.sso.issuer')}
        description={t('admin.sso.issuerHelp')}
        placeholder="https://login.example.com/realms/acme"
        required
        value={values.issuer}
        onChange={(e) => set('issuer', e.currentTarget.value)}
        error={errors.issuer}
        maxLength={500}
      />
      <TextInput label={t('admin.sso.clientId')} required value={values.clientId} onChange={(e) => set('clientId', e.currentTarget.value)} error={errors.clientId} maxLength={500} />
      <PasswordInput
        label={t('admin.sso.clientSecret')}
        description={provider?.hasClientSecret ? t('admin.sso.secretKeep') : t('admin.sso.secretPublic')}
        autoComplete="new-password"
        disabled={values.removeSecret}
        value={values.clientSecret}
        onChange={(e) => set('clientSecret', e.currentTarget.value)}
        error={errors.clientSecret}
        maxLength={2000}
      />
      {provider?.hasClientSecret && (
        <Checkbox label={t('admin.sso.removeSecret')} checked={values.removeSecret} onChange={(e) => set('removeSecret', e.currentTarget.checked)} />
      )}
      <TextInput label={t('admin.sso.scopes')} description={t('admin.sso.scopesHelp')} value={values.scopes} onChange={(e) => set('scopes', e.currentTarget.value)} error={errors.scopes} maxLength={500} />
      <TagsInput
        label={t('admin.sso.emailDomains')}
        description={t('admin.sso.emailDomainsHelp')}
        placeholder="example.com"
        value={values.emailDomains}
        onChange={(v) => set('emailDomains', v.map((d) => d.trim().toLowerCase()))}
        error={errors.emailDomains}
        clearable
        clearButtonProps={{ 'aria-label': t('admin.clearField', { field: t('admin.sso.emailDomains') }) }}
      />
      <Switch label={t('admin.sso.showButton')} checked={values.showButton} onChange={(e) => set('showButton', e.currentTarget.checked)} />
      <Switch label={t('admin.sso.linkByEmail')} description={t('admin.sso.linkByEmailHelp')} checked={values.linkByEmail} onChange={(e) => set('linkByEmail', e.currentTarget.checked)} />
      <Switch label={t('admin.sso.autoCreate')} description={t('admin.sso.autoCreateHelp')} checked={values.autoCreate} onChange={(e) => set('autoCreate', e.currentTarget.checked)} />
      <Select
        label={t('admin.sso.defaultRole')}
        description={forStaff ? t('admin.sso.defaultRoleStaff') : t('admin.sso.defaultRoleClient')}
        disabled={!forStaff}
        allowDeselect={false}
        value={role}
        onChange={(v) => set('defaultRole', v as Role)}
        data={(forStaff ? STAFF_DEFAULT_ROLES : (['requester'] as Role[])).map((r) => ({ value: r, label: t(`admin.role.${r}`) }))}
        error={errors.defaultRole}
      />
      {forStaff && (
        <Stack gap="xs">
          <TextInput
            label={t('admin.sso.roleClaim')}
            description={t('admin.sso.roleClaimHelp')}
            placeholder="groups"
            value={values.roleClaim}
            onChange={(e) => set('roleClaim', e.currentTarget.value)}
            error={errors.roleClaim}
            maxLength={100}
          />
          {values.roleMappings.map((m, i) => (
            <Group key={i} align="flex-end" wrap="nowrap">
              <TextInput
                label={t('admin.sso.claimValue')}
                value={m.value}
                onChange={(e) => set('roleMappings', values.roleMappings.map((x, j) => (j === i ? { ...x, value: e.currentTarget.value } : x)))}
                maxLength={200}
                style={{ flex: 1 }}
              />
              <Select
                label={t('admin.sso.grantsRole')}
                allowDeselect={false}
                value={m.role}
                onChange={(v) => set('roleMappings', values.roleMappings.map((x, j) => (j === i ? { ...x, role: v as Role } : x)))}
                data={STAFF_MAPPED_ROLES.map((r) => ({ value: r, label: t(`admin.role.${r}`) }))}
                w={170}
              />
              <Button variant="subtle" color="red" onClick={() => set('roleMappings', values.roleMappings.filter((_, j) => j !== i))}>
                {t('admin.sso.removeMapping')}
              </Button>
            </Group>
          ))}
          {errors.roleMappings && (
            <Text size="sm" c="red.8">
              {errors.roleMappings}
            </Text>
          )}
          <Group>
            <Button variant="default" size="xs" onClick={() => set('roleMappings', [...values.roleMappings, { value: '', role: 'manager' }])}>
              {t('admin.sso.addMapping')}
            </Button>
          </Group>
        </Stack>
      )}
      <CallbackUrl url={callbackUrl} />
    </FormModal>
  );
}

import { Alert, Anchor, Badge, Button, Group, Modal, PasswordInput, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api } from '../../app/api.ts';
import type { Me } from '../auth/session.ts';
import { type User, useSave } from './api.ts';
import { DirectoryList } from './DirectoryList.tsx';
import { check, compact, type FieldErrors, FormModal, saveErrors } from './FormModal.tsx';
import { LocaleSelect, OrganizationMultiSelect, OrganizationSelect, useOrganizationNames } from './fields.tsx';
import { StaffTwoFactorSwitch, UserTwoFactorReset } from './TwoFactorAdmin.tsx';

type Role = User['role'];
const ROLES: Role[] = ['requester', 'agent', 'manager', 'admin'];
const FIELDS = ['email', 'name', 'role', 'orgId', 'orgScope', 'portalScope', 'locale', 'password'] as const;
const ROLE_COLORS: Record<Role, string> = { requester: 'gray', agent: 'blue', manager: 'grape', admin: 'red' };
const MIN_PASSWORD = 10;

/** Logins and their roles (admins only). */
export function UsersSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const orgName = useOrganizationNames();
  return (
    <>
      <DirectoryList<User>
        resource="users"
        title={t('admin.users.title')}
        createLabel={t('admin.users.create')}
        searchable
        actions={<StaffTwoFactorSwitch />}
        filters={{ role: role ?? undefined }}
        extraFilters={
          <Select
            label={t('admin.users.role')}
            placeholder={t('common.all')}
            clearable
            value={role}
            onChange={setRole}
            data={ROLES.map((r) => ({ value: r, label: t(`admin.role.${r}`) }))}
            w={200}
          />
        }
        rowName={(u) => u.name}
        // Nobody locks themselves out.
        canToggle={(u) => u.id !== me.id}
        onCreate={() => setEditing('new')}
        onEdit={setEditing}
        columns={[
          { header: t('admin.users.name'), render: (u) => u.name },
          { header: t('admin.users.email'), render: (u) => u.email },
          {
            header: t('admin.users.role'),
            render: (u) => (
              <Badge variant="light" color={ROLE_COLORS[u.role]}>
                {t(`admin.role.${u.role}`)}
              </Badge>
            ),
          },
          { header: t('admin.users.organization'), render: (u) => orgName(u.orgId) },
          { header: t('admin.users.scope'), render: (u) => scopeText(u, orgName, t) },
        ]}
      />
      {editing && <UserForm user={editing === 'new' ? null : editing} me={me} onClose={() => setEditing(null)} />}
    </>
  );
}

function UserForm({ user, me, onClose }: { user: User | null; me: Me; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSave<User>('users');
  const [values, setValues] = useState({
    email: user?.email ?? '',
    name: user?.name ?? '',
    role: user?.role ?? ('agent' as Role),
    orgId: user?.orgId ? String(user.orgId) : null,
    orgScope: (user?.orgScope ?? []).map(String),
    portalScope: user?.portalScope ?? ('own' as User['portalScope']),
    locale: user?.locale ?? null,
    password: '',
  });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const server = saveErrors(save.error, FIELDS, t);
  const errors = { ...server.fields, ...clientErrors };
  const set = <K extends keyof typeof values>(key: K, value: (typeof values)[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setClientErrors((e) => ({ ...e, [key]: undefined }));
  };
  const isRequester = values.role === 'requester';
  const hasScope = values.role === 'agent' || values.role === 'manager';
  const isSelf = user?.id === me.id;
  const [endingSessions, setEndingSessions] = useState(false);

  const submit = () => {
    const found = compact({
      email: check.required(values.email, t) ?? check.email(values.email, t),
      name: check.required(values.name, t),
      orgId: isRequester && !values.orgId ? t('admin.errors.orgRequired') : undefined,
      password: !user && values.password === '' ? t('admin.errors.required') : values.password !== '' && values.password.length < MIN_PASSWORD ? t('admin.errors.passwordLength') : undefined,
    });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = {
      email: values.email.trim(),
      name: values.name.trim(),
      role: values.role,
      orgId: values.orgId ? Number(values.orgId) : null,
      orgScope: hasScope ? values.orgScope.map(Number) : [],
      portalScope: values.portalScope,
      locale: values.locale,
      // Write-only: sent only when typed, so editing keeps the current one.
      ...(values.password !== '' && { password: values.password }),
    };
    save.mutate(
      { id: user?.id, body },
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
      title={user ? t('admin.users.editTitle', { name: user.name }) : t('admin.users.create')}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      generalError={server.general}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('admin.users.name')} required data-autofocus value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} maxLength={200} />
        <TextInput
          label={t('admin.users.email')}
          type="email"
          required
          autoComplete="off"
          value={values.email}
          onChange={(e) => set('email', e.currentTarget.value)}
          error={errors.email}
          maxLength={320}
        />
        <Select
          label={t('admin.users.role')}
          description={isSelf ? t('admin.users.ownRole') : t(`admin.roleHelp.${values.role}`)}
          required
          disabled={isSelf}
          allowDeselect={false}
          value={values.role}
          onChange={(v) => v && set('role', v as Role)}
          data={ROLES.map((r) => ({ value: r, label: t(`admin.role.${r}`) }))}
          error={errors.role}
        />
        <LocaleSelect value={values.locale} onChange={(v) => set('locale', v)} error={errors.locale} />
      </SimpleGrid>
      <OrganizationSelect
        label={t('admin.users.organization')}
        description={isRequester ? t('admin.users.organizationRequester') : t('admin.users.organizationStaff')}
        required={isRequester}
        value={values.orgId}
        onChange={(v) => set('orgId', v)}
        error={errors.orgId}
      />
      {hasScope && (
        <OrganizationMultiSelect
          label={t('admin.users.orgScope')}
          description={t('admin.users.orgScopeHelp')}
          value={values.orgScope}
          onChange={(v) => set('orgScope', v)}
          error={errors.orgScope}
        />
      )}
      {isRequester && (
        <Radio.Group label={t('admin.users.portalScope')} value={values.portalScope} onChange={(v) => set('portalScope', v as User['portalScope'])} error={errors.portalScope}>
          <Stack gap="xs" mt="xs">
            <Radio value="own" label={t('admin.portalScope.own')} />
            <Radio value="organization" label={t('admin.portalScope.organization')} />
          </Stack>
        </Radio.Group>
      )}
      {isSelf ? (
        // One's own password changes with the current one, on the account page (the API refuses it here).
        <Text size="sm" c="dimmed">
          {t('admin.users.ownPassword')}{' '}
          <Anchor component={Link} href="/account" size="sm">
            {t('admin.users.ownPasswordLink')}
          </Anchor>
        </Text>
      ) : (
        <PasswordInput
          label={t('admin.users.password')}
          description={user ? t('admin.users.passwordKeep') : t('admin.users.passwordHelp', { count: MIN_PASSWORD })}
          required={!user}
          autoComplete="new-password"
          value={values.password}
          onChange={(e) => set('password', e.currentTarget.value)}
          error={errors.password}
        />
      )}
      {user && user.active && !isSelf && (
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" c="dimmed">
            {t('admin.users.endSessionsHelp')}
          </Text>
          <Button variant="light" color="red" onClick={() => setEndingSessions(true)} aria-label={t('admin.users.endSessionsNamed', { name: user.name })} style={{ flexShrink: 0 }}>
            {t('admin.users.endSessions')}
          </Button>
        </Group>
      )}
      {user && endingSessions && <EndSessionsDialog user={user} onClose={() => setEndingSessions(false)} />}
      {user && <UserTwoFactorReset user={user} />}
    </FormModal>
  );
}

/** "Sign out of every session" (a lost laptop), after a confirmation that says what it does and does not do. */
function EndSessionsDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const end = useMutation({ mutationFn: () => api<{ sessionsEnded: number }>(`/users/${user.id}/sessions`, { method: 'DELETE' }) });
  return (
    <Modal opened onClose={onClose} title={t('admin.users.endSessionsTitle', { name: user.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack>
        <Text size="sm">{t('admin.users.endSessionsWarning', { name: user.name })}</Text>
        {end.error && (
          <Alert color="red" role="alert">
            {saveErrors(end.error, [], t).general}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={end.isPending}
            onClick={() =>
              end.mutate(undefined, {
                onSuccess: (r) => {
                  notifications.show({ color: 'green', message: t('admin.users.sessionsEnded', { name: user.name, count: r.sessionsEnded }) });
                  onClose();
                },
              })
            }
          >
            {t('admin.users.endSessionsConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function scopeText(u: User, orgName: (id: number) => string, t: (k: string) => string) {
  switch (u.role) {
    case 'requester':
      return <Text size="sm">{t(`admin.portalScope.${u.portalScope}`)}</Text>;
    case 'admin':
      return <Text size="sm">{t('admin.users.allOrganizations')}</Text>;
    case 'agent':
    case 'manager':
      return (
        <Text size="sm" lineClamp={2}>
          {u.orgScope.length === 0 ? t('admin.users.allOrganizations') : u.orgScope.map(orgName).join(', ')}
        </Text>
      );
  }
}

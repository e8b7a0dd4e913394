import { MultiSelect, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Team, type User, useSave, useStaffUsers } from './api.ts';
import { DirectoryList } from './DirectoryList.tsx';
import { check, compact, type FieldErrors, FormModal, saveErrors } from './FormModal.tsx';

const FIELDS = ['name', 'description', 'memberIds'] as const;

/** Teams of agents that incidents are assigned to (managers and admins). */
export function TeamsSection() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const staff = useStaffUsers();
  const names = useMemo(() => new Map((staff.data ?? []).map((u) => [u.id, u.name])), [staff.data]);
  return (
    <>
      <DirectoryList<Team>
        resource="teams"
        title={t('admin.teams.title')}
        createLabel={t('admin.teams.create')}
        // The API has no `q` for teams; there are few of them.
        searchable={false}
        rowName={(team) => team.name}
        onCreate={() => setEditing('new')}
        onEdit={setEditing}
        columns={[
          { header: t('admin.teams.name'), render: (team) => <Text size="sm" fw={500}>{team.name}</Text> },
          {
            header: t('admin.teams.description'),
            render: (team) => (
              <Text size="sm" lineClamp={2} maw={360}>
                {team.description ?? ''}
              </Text>
            ),
          },
          {
            header: t('admin.teams.members'),
            render: (team) => (
              <Text size="sm" lineClamp={2} maw={360}>
                {team.memberIds.length === 0
                  ? t('admin.teams.noMembers')
                  : `${t('admin.teams.memberCount', { count: team.memberIds.length })} · ${team.memberIds.map((id) => names.get(id) ?? `#${id}`).join(', ')}`}
              </Text>
            ),
          },
        ]}
      />
      {editing && <TeamForm team={editing === 'new' ? null : editing} staff={staff.data ?? []} onClose={() => setEditing(null)} />}
    </>
  );
}

function TeamForm({ team, staff, onClose }: { team: Team | null; staff: User[]; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSave<Team>('teams');
  const [values, setValues] = useState({
    name: team?.name ?? '',
    description: team?.description ?? '',
    memberIds: (team?.memberIds ?? []).map(String),
  });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const server = saveErrors(save.error, FIELDS, t);
  const errors = { ...server.fields, ...clientErrors };
  const set = <K extends keyof typeof values>(key: K, value: (typeof values)[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setClientErrors((e) => ({ ...e, [key]: undefined }));
  };
  // Active staff can join; a deactivated member stays listed (marked) so that they can be removed.
  const options = useMemo(() => {
    const current = new Set(team?.memberIds ?? []);
    return staff
      .filter((u) => u.active || current.has(u.id))
      .map((u) => ({
        value: String(u.id),
        label: `${u.name} · ${t(`admin.role.${u.role}`)}${u.active ? '' : ` — ${t('admin.status.inactive')}`}`,
      }));
  }, [staff, team, t]);

  const submit = () => {
    const found = compact({ name: check.required(values.name, t) });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(
      { id: team?.id, body: { name: values.name.trim(), description: values.description.trim() || null, memberIds: values.memberIds.map(Number) } },
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
      title={team ? t('admin.teams.editTitle', { name: team.name }) : t('admin.teams.create')}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      generalError={server.general}
    >
      <TextInput label={t('admin.teams.name')} required data-autofocus value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} maxLength={200} />
      <Textarea
        label={t('admin.teams.description')}
        autosize
        minRows={2}
        maxRows={6}
        value={values.description}
        onChange={(e) => set('description', e.currentTarget.value)}
        error={errors.description}
        maxLength={2000}
      />
      <MultiSelect
        label={t('admin.teams.members')}
        description={t('admin.teams.membersHelp')}
        searchable
        clearable
        hidePickedOptions
        nothingFoundMessage={t('admin.nothingFound')}
        value={values.memberIds}
        onChange={(v) => set('memberIds', v)}
        data={options}
        error={errors.memberIds}
      />
    </FormModal>
  );
}

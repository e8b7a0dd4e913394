import { Alert, Button, Combobox, Group, Loader, Modal, Select, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { type Person, useCreatePerson, useOrganizations, usePeopleSearch, usePerson } from './api.ts';

const NEW_PERSON = '__new__';

/** A person's name, loaded by id (cached across a queue's rows). */
export function PersonName({ id }: { id: number | null }) {
  const person = usePerson(id);
  if (!id) return null;
  return <>{person.data?.name ?? '…'}</>;
}

/**
 * Finds a person by name, e-mail or phone as you type, shows their organization, and offers to
 * create a new person when the right one is not there.
 */
export function PersonSearch({
  label,
  description,
  orgId,
  onPick,
  autoFocus,
  error,
}: {
  label: string;
  description?: string;
  orgId?: number | null;
  onPick: (person: Person) => void;
  autoFocus?: boolean;
  error?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 200);
  const [creating, setCreating] = useState(false);
  const results = usePeopleSearch(debounced, orgId);
  const orgs = useOrganizations();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const items = results.data?.items ?? [];
  const searching = debounced.trim().length >= 2;

  return (
    <>
      <Combobox
        store={combobox}
        onOptionSubmit={(value) => {
          combobox.closeDropdown();
          if (value === NEW_PERSON) return setCreating(true);
          const person = items.find((p) => String(p.id) === value);
          if (person) {
            onPick(person);
            setQ('');
          }
        }}
      >
        <Combobox.Target>
          <TextInput
            label={label}
            description={description ?? t('console.person.searchHint')}
            placeholder={t('console.person.searchPlaceholder')}
            value={q}
            autoFocus={autoFocus}
            autoComplete="off"
            error={error}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              combobox.openDropdown();
              combobox.updateSelectedOptionIndex();
            }}
            onClick={() => combobox.openDropdown()}
            onFocus={() => combobox.openDropdown()}
            onBlur={() => combobox.closeDropdown()}
            rightSection={results.isFetching ? <Loader size={16} /> : null}
          />
        </Combobox.Target>
        <Combobox.Dropdown hidden={q.trim().length < 2}>
          <Combobox.Options mah={320} style={{ overflowY: 'auto' }}>
            {items.map((p) => (
              <Combobox.Option value={String(p.id)} key={p.id}>
                <Group justify="space-between" wrap="nowrap" gap="sm">
                  <div>
                    <Text size="sm" fw={500}>
                      {p.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {[p.email, p.phone].filter(Boolean).join(' · ')}
                    </Text>
                  </div>
                  <Text size="xs" c="dimmed" ta="right">
                    {orgs.data?.byId.get(p.orgId)?.name}
                  </Text>
                </Group>
              </Combobox.Option>
            ))}
            {searching && !results.isFetching && items.length === 0 && <Combobox.Empty>{t('console.person.noneFound')}</Combobox.Empty>}
            {searching && (
              <Combobox.Option value={NEW_PERSON}>
                <Text size="sm" c="blue.8" fw={500}>
                  {t('console.person.create', { name: q.trim() })}
                </Text>
              </Combobox.Option>
            )}
          </Combobox.Options>
        </Combobox.Dropdown>
      </Combobox>
      <NewPersonModal
        opened={creating}
        initial={q}
        orgId={orgId ?? null}
        onClose={() => setCreating(false)}
        onCreated={(person) => {
          setCreating(false);
          setQ('');
          onPick(person);
        }}
      />
    </>
  );
}

/** Adds a contact met on the phone; what was typed in the search goes to the name, e-mail or phone. */
function NewPersonModal({
  opened,
  initial,
  orgId,
  onClose,
  onCreated,
}: {
  opened: boolean;
  initial: string;
  orgId: number | null;
  onClose: () => void;
  onCreated: (p: Person) => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('console.person.newTitle')} size="md">
      {/* Mounted only while open, so each opening starts from what was typed. */}
      {opened && <NewPersonForm initial={initial} orgId={orgId} onCancel={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function NewPersonForm({ initial, orgId, onCancel, onCreated }: { initial: string; orgId: number | null; onCancel: () => void; onCreated: (p: Person) => void }) {
  const { t } = useTranslation();
  const orgs = useOrganizations();
  const create = useCreatePerson();
  const guess = guessField(initial.trim());
  const [name, setName] = useState(guess.name ?? '');
  const [email, setEmail] = useState(guess.email ?? '');
  const [phone, setPhone] = useState(guess.phone ?? '');
  const [org, setOrg] = useState<string | null>(orgId ? String(orgId) : null);
  const [locale, setLocale] = useState<string | null>(null);
  const error = create.error instanceof ApiError ? create.error : null;

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        e.stopPropagation();
        if (!org) return;
        create.mutate(
          { orgId: Number(org), name: name.trim(), email: email.trim() || null, phone: phone.trim() || null, locale },
          { onSuccess: onCreated },
        );
      }}
    >
      <Stack>
        {error && error.errors.length === 0 && (
          <Alert color="red" role="alert">
            {error.detail}
          </Alert>
        )}
        <TextInput label={t('console.person.name')} required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={error?.field('name')} />
        <TextInput label={t('console.person.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={error?.field('email')} />
        <TextInput label={t('console.person.phone')} type="tel" value={phone} onChange={(e) => setPhone(e.currentTarget.value)} error={error?.field('phone')} />
        <Select
          label={t('field.orgId')}
          required
          searchable
          disabled={Boolean(orgId)}
          value={org}
          onChange={setOrg}
          data={(orgs.data?.items ?? []).filter((o) => o.active).map((o) => ({ value: String(o.id), label: o.name }))}
          error={error?.field('orgId')}
          nothingFoundMessage={t('console.nothingFound')}
        />
        <Select
          label={t('console.person.locale')}
          clearable
          value={locale}
          onChange={setLocale}
          data={[
            { value: 'fr', label: 'Français' },
            { value: 'en', label: 'English' },
          ]}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} disabled={!org || !name.trim()}>
            {t('console.person.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** What a search text most likely was: an e-mail, a phone number or a name. */
function guessField(text: string): { name?: string; email?: string; phone?: string } {
  if (text.includes('@')) return { email: text };
  if (/^[+\d][\d\s().-]{3,}$/.test(text)) return { phone: text };
  return { name: text };
}

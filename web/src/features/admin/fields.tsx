import { MultiSelect, Select } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type Organization, useAllOrganizations } from './api.ts';

type Locale = 'fr' | 'en';

/** Organization name by id, for tables (`#12` until the list has loaded). */
export function useOrganizationNames() {
  const orgs = useAllOrganizations();
  const byId = useMemo(() => new Map((orgs.data ?? []).map((o) => [o.id, o.name])), [orgs.data]);
  return useCallback((id: number | null) => (id === null ? '' : (byId.get(id) ?? `#${id}`)), [byId]);
}

/** One organization; active ones are offered, and the current one even if deactivated. */
export function OrganizationSelect({
  label,
  description,
  placeholder,
  required,
  disabled,
  value,
  onChange,
  error,
}: {
  label: string;
  description?: string;
  /** Shown while none is chosen (default: "Choose an organization"). */
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const data = useOrganizationOptions(value ? [value] : []);
  return (
    <Select
      label={label}
      description={description}
      required={required}
      disabled={disabled}
      searchable
      clearable={!required}
      clearButtonProps={{ 'aria-label': t('admin.clearField', { field: label }) }}
      nothingFoundMessage={t('admin.nothingFound')}
      placeholder={placeholder ?? t('admin.chooseOrganization')}
      value={value}
      onChange={onChange}
      data={data}
      error={error}
    />
  );
}

/** Several organizations (e.g. an agent's scope). */
export function OrganizationMultiSelect({
  label,
  description,
  value,
  onChange,
  error,
}: {
  label: string;
  description?: string;
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const data = useOrganizationOptions(value);
  return (
    <MultiSelect
      label={label}
      description={description}
      searchable
      clearable
      clearButtonProps={{ 'aria-label': t('admin.clearField', { field: label }) }}
      hidePickedOptions
      nothingFoundMessage={t('admin.nothingFound')}
      placeholder={value.length === 0 ? t('admin.users.allOrganizations') : undefined}
      value={value}
      onChange={onChange}
      data={data}
      error={error}
    />
  );
}

/** A person's or user's language; empty means the organization's. */
export function LocaleSelect({ value, onChange, error }: { value: Locale | null; onChange: (value: Locale | null) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('admin.locale.label')}
      allowDeselect={false}
      value={value ?? 'default'}
      onChange={(v) => onChange(v === 'fr' || v === 'en' ? v : null)}
      data={[
        { value: 'default', label: t('admin.locale.default') },
        { value: 'fr', label: t('admin.locale.fr') },
        { value: 'en', label: t('admin.locale.en') },
      ]}
      error={error}
    />
  );
}

function useOrganizationOptions(selected: string[]) {
  const { t } = useTranslation();
  const orgs = useAllOrganizations();
  return useMemo(() => {
    const keep = new Set(selected);
    return (orgs.data ?? [])
      .filter((o: Organization) => o.active || keep.has(String(o.id)))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => ({ value: String(o.id), label: o.active ? `${o.name} (${o.code})` : `${o.name} (${o.code}) — ${t('admin.status.inactive')}` }));
    // `selected` changes identity on every render; its content is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orgs.data, selected.join(','), t]);
}

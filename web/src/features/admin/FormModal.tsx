import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import type { TFunction } from 'i18next';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { readableDimmed } from './DirectoryList.tsx';

/** Messages by field name, shown under the fields. */
export type FieldErrors = Partial<Record<string, string>>;

/**
 * A create or edit form in a modal: title, a general error above the fields, Cancel and Save. After a
 * failed submit, focus moves to the first invalid field, so keyboard and screen-reader users land on it.
 */
export function FormModal({
  title,
  onClose,
  onSubmit,
  saving,
  generalError,
  size = 'lg',
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  saving: boolean;
  generalError: string | null;
  size?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [attempts, setAttempts] = useState(0);

  // Once a submit has been checked (here) or answered (saving back to false), go to the first error.
  useEffect(() => {
    if (attempts === 0 || saving) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempts, saving]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempts((n) => n + 1);
    onSubmit();
  };

  return (
    <Modal opened onClose={onClose} title={title} size={size} closeButtonProps={{ 'aria-label': t('common.close') }} styles={{ content: readableDimmed }}>
      <form ref={formRef} onSubmit={submit} noValidate>
        <Stack>
          {generalError && (
            <Alert color="red" role="alert">
              {generalError}
            </Alert>
          )}
          {children}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={saving}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * Splits a failed save into field errors (API `errors[]`, keyed by top-level field: `orgScope.2` →
 * `orgScope`) and a general message for the rest. Messages the API is known to send are translated.
 */
export function saveErrors(error: unknown, fields: readonly string[], t: TFunction): { fields: FieldErrors; general: string | null } {
  if (!error) return { fields: {}, general: null };
  if (!(error instanceof ApiError)) return { fields: {}, general: t('common.error') };
  const result: FieldErrors = {};
  const rest: string[] = [];
  for (const e of error.errors) {
    const field = e.path.split('.')[0] ?? '';
    const message = translateApiMessage(field, e.message, t);
    if (fields.includes(field)) result[field] ??= message;
    else rest.push(e.path ? `${e.path}: ${message}` : message);
  }
  if (Object.keys(result).length > 0 && rest.length === 0) return { fields: result, general: null };
  if (error.code === 'scope.provider_wide') return { fields: result, general: t('admin.errors.providerWide') };
  if (error.status === 403) return { fields: result, general: t('admin.errors.forbidden') };
  if (error.status === 404) return { fields: result, general: t('admin.errors.notFound') };
  return { fields: result, general: rest.length > 0 ? rest.join(' · ') : error.detail || t('common.error') };
}

/** Client-side checks shared by the forms, with translated messages. */
export const check = {
  required: (value: string, t: TFunction) => (value.trim() === '' ? t('admin.errors.required') : undefined),
  email: (value: string, t: TFunction) => (value.trim() !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? t('admin.errors.email') : undefined),
};

/** Drops fields without a message, so `{}` means valid. */
export function compact(errors: Record<string, string | undefined>): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([, v]) => v !== undefined)) as FieldErrors;
}

// Messages the directory API sends (contract/directory.ts and the services), and their keys.
const API_MESSAGES: Record<string, string> = {
  'Already used': 'admin.errors.alreadyUsed',
  'Required for a requester': 'admin.errors.orgRequired',
  'At least 10 characters': 'admin.errors.passwordLength',
  'Unknown IANA time zone': 'admin.errors.timezone',
  'Letters, digits, - and _ only, at most 32': 'admin.errors.code',
  'Unknown or deactivated agent': 'admin.errors.member',
  'This organization is deactivated': 'admin.errors.orgInactive',
  'Unknown organization': 'admin.errors.unknownOrg',
  'Invalid email address': 'admin.errors.email',
  'At least one working interval is needed': 'admin.errors.hoursNeeded',
  'HH:MM, 00:00 to 23:59': 'admin.errors.startTime',
  'HH:MM, 00:01 to 24:00': 'admin.errors.endTime',
  'Must be after the start': 'admin.errors.endAfterStart',
  'A date YYYY-MM-DD': 'admin.errors.date',
  'Unknown or deactivated calendar': 'admin.errors.calendar',
  'Unknown service': 'admin.errors.unknownService',
  'One target per priority': 'admin.errors.onePerPriority',
  'Time to own cannot exceed time to resolve': 'admin.errors.ttoAfterTtr',
  // Identity providers (server/src/sso/sso-rules.ts).
  'A URL such as https://login.example.com': 'admin.sso.errors.issuerUrl',
  'Must use https (http only on this machine: localhost or 127.0.0.1)': 'admin.sso.errors.issuerHttps',
  'No query, fragment or credentials in the issuer': 'admin.sso.errors.issuerPlain',
  'Must include openid': 'admin.sso.errors.openid',
  'A domain such as example.com': 'admin.sso.errors.domain',
  'Listed twice': 'admin.sso.errors.twice',
  'Agent or manager for staff': 'admin.sso.errors.staffRole',
  'Only requester for a client organization': 'admin.sso.errors.clientRole',
  'A staff role': 'admin.sso.errors.mappedRole',
  'Required with role mappings': 'admin.sso.errors.roleClaim',
  'At least one domain for a client organization whose users are created or linked by e-mail': 'admin.sso.errors.domainsNeeded',
};

/** An API field message in the user's language, when it is one the API is known to send. */
export function translateApiMessage(field: string, message: string, t: TFunction): string {
  // 409 duplicates: say what is taken.
  if (message === 'Already used' && (field === 'code' || field === 'email' || field === 'emailDomains')) return t(`admin.errors.${field}Taken`);
  const key = API_MESSAGES[message];
  return key ? t(key) : message;
}

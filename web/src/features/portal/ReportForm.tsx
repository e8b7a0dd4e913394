import { Alert, Anchor, Button, FileInput, Paper, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../../app/api.ts';
import { type Incident, useCreateIncident } from '../incidents/api.ts';
import { uploadAttachments } from '../incidents/attachments.ts';

/** The short report form of the portal: what is wrong, and how much it blocks you. */
export function ReportForm() {
  const { t } = useTranslation();
  const create = useCreateIncident();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [urgency, setUrgency] = useState<string>('3');
  const [files, setFiles] = useState<File[]>([]);
  const [created, setCreated] = useState<Incident | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const error = create.error instanceof ApiError ? create.error : null;

  async function submit() {
    setUploadError(null);
    const incident = await create.mutateAsync({ title, description, urgency: Number(urgency), impact: 3, channel: 'portal' });
    if (files.length > 0) {
      await uploadAttachments(incident.id, files, 'public').catch((e: Error) => setUploadError(e.message));
    }
    setCreated(incident);
    setTitle('');
    setDescription('');
    setUrgency('3');
    setFiles([]);
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="report-title">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit().catch(() => undefined);
        }}
      >
        <Stack>
          <Title order={2} size="h3" id="report-title">
            {t('portal.report.title')}
          </Title>
          {created && (
            <Alert color="green" role="status" title={t('portal.report.created', { ref: created.ref })}>
              <Anchor component={Link} href={`/portal/incidents/${created.ref}`}>
                {t('portal.report.follow')}
              </Anchor>
            </Alert>
          )}
          {error && !error.errors.length && <Alert color="red">{error.detail}</Alert>}
          {uploadError && <Alert color="orange">{t('portal.report.uploadFailed', { error: uploadError })}</Alert>}
          <TextInput label={t('portal.report.fieldTitle')} required maxLength={255} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={error?.field('title')} />
          <Textarea
            label={t('portal.report.fieldDescription')}
            description={t('portal.report.descriptionHint')}
            autosize
            minRows={3}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={error?.field('description')}
          />
          <Select
            label={t('portal.report.fieldBlocking')}
            allowDeselect={false}
            value={urgency}
            onChange={(v) => setUrgency(v ?? '3')}
            data={['1', '2', '3', '4'].map((u) => ({ value: u, label: t(`portal.report.blocking.${u}`) }))}
            error={error?.field('urgency')}
          />
          <FileInput label={t('attachments.add')} multiple clearable value={files} onChange={setFiles} placeholder={t('attachments.choose')} />
          <Button type="submit" loading={create.isPending}>
            {t('portal.report.submit')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

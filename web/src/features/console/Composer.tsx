import { Alert, Button, FileInput, Group, Paper, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { type StaffIncident, useComment, useInvalidateIncident } from '../incidents/api.ts';
import { uploadAttachments } from '../incidents/attachments.ts';

type Mode = 'public' | 'internal';

// Internal is yellow throughout; its text is a dark amber, since yellow text on yellow is unreadable (WCAG AA).
const LOOK: Record<Mode, { color: string; ink: string; bg?: string; border: string }> = {
  public: { color: 'blue.8', ink: 'blue.9', border: 'var(--mantine-color-blue-6)' },
  internal: { color: 'yellow.5', ink: '#8a5300', bg: 'var(--mantine-color-yellow-0)', border: 'var(--mantine-color-yellow-6)' },
};

/**
 * Two composers, one per mode, each with its own draft: text typed as an internal note stays in the
 * note tab, so switching tabs can never turn a note into a public reply.
 */
export function Composer({ incident }: { incident: StaffIncident }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('public');
  return (
    <section aria-labelledby="composer-title">
      <Text component="h2" id="composer-title" size="lg" fw={700} mb="xs">
        {t('console.composer.title')}
      </Text>
      <Tabs value={mode} onChange={(v) => setMode((v as Mode) ?? 'public')} keepMounted variant="outline">
        <Tabs.List>
          <Tabs.Tab value="public" color="blue" data-testid="composer-tab-public" fw={mode === 'public' ? 700 : 500}>
            {t('console.composer.public')}
          </Tabs.Tab>
          <Tabs.Tab
            value="internal"
            color="yellow"
            data-testid="composer-tab-internal"
            fw={mode === 'internal' ? 700 : 500}
            style={mode === 'internal' ? { background: LOOK.internal.bg } : undefined}
          >
            {t('console.composer.internal')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="public">
          <ComposerForm incident={incident} mode="public" />
        </Tabs.Panel>
        <Tabs.Panel value="internal">
          <ComposerForm incident={incident} mode="internal" />
        </Tabs.Panel>
      </Tabs>
    </section>
  );
}

function ComposerForm({ incident, mode }: { incident: StaffIncident; mode: Mode }) {
  const { t } = useTranslation();
  const comment = useComment(incident.id);
  const invalidate = useInvalidateIncident();
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const error = comment.error instanceof ApiError ? comment.error : null;
  const look = LOOK[mode];

  async function submit() {
    setUploadError(null);
    if (body.trim()) {
      await comment.mutateAsync({ body: body.trim(), visibility: mode });
      setBody('');
    }
    if (files.length > 0) {
      setUploading(true);
      try {
        await uploadAttachments(incident.id, files, mode);
        setFiles([]);
        await invalidate(incident.id);
      } catch (e) {
        setUploadError((e as Error).message);
      } finally {
        setUploading(false);
      }
    }
  }

  return (
    <Paper
      p="md"
      radius={0}
      data-testid={`composer-${mode}`}
      style={{ background: look.bg, border: `1px solid ${look.border}`, borderTop: 0, borderLeft: `4px solid ${look.border}` }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit().catch(() => undefined);
        }}
      >
        <Stack gap="sm">
          <Text size="sm" fw={600} c={look.ink}>
            {t(`console.composer.${mode}Notice`)}
          </Text>
          {error && error.errors.length === 0 && (
            <Alert color="red" role="alert">
              {error.detail}
            </Alert>
          )}
          {uploadError && (
            <Alert color="orange" role="alert">
              {t('console.composer.uploadFailed', { error: uploadError })}
            </Alert>
          )}
          <Textarea
            label={t(`console.composer.${mode}Label`)}
            autosize
            minRows={3}
            maxRows={14}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
            error={error?.field('body')}
            styles={mode === 'internal' ? { input: { background: 'white' } } : undefined}
          />
          <Group justify="space-between" align="flex-end" gap="sm">
            <FileInput
              label={t(`console.composer.${mode}Files`)}
              placeholder={t('console.composer.chooseFiles')}
              multiple
              clearable
              value={files}
              onChange={setFiles}
              w={{ base: '100%', sm: 320 }}
            />
            <Button type="submit" color={look.color} autoContrast loading={comment.isPending || uploading} disabled={!body.trim() && files.length === 0} data-testid={`composer-submit-${mode}`}>
              {t(`console.composer.${mode}Submit`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

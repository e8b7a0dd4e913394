import type { z } from 'zod';
import type { Attachment } from '../../../../contract/incidents.ts';
import { api } from '../../app/api.ts';

/** Uploads files to an incident (multipart); the timeline shows them once done. */
export function uploadAttachments(incidentId: number | string, files: File[], visibility: 'public' | 'internal') {
  const form = new FormData();
  form.append('visibility', visibility);
  for (const f of files) form.append('file', f, f.name);
  return api<{ items: z.infer<typeof Attachment>[] }>(`/incidents/${incidentId}/attachments`, { method: 'POST', body: form });
}

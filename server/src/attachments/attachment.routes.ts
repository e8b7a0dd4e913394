import { createReadStream } from 'node:fs';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../contract/common.ts';
import { Attachment } from '../../../contract/incidents.ts';
import { IncidentIdParams } from '../../../contract/incidents.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import { AppError } from '../http/errors.ts';
import * as attachments from './attachment.service.ts';

const tags = ['attachments'];

export function attachmentRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(fastifyMultipart, { limits: { fileSize: ctx.attachmentMaxBytes, files: 10, fields: 5 } });

    app.post('/incidents/:id/attachments', {
      schema: {
        tags,
        summary: 'Upload files (multipart/form-data: one or more `file` parts, optional `visibility` public|internal)',
        params: IncidentIdParams,
        consumes: ['multipart/form-data'],
        response: { 201: z.object({ items: z.array(Attachment) }) },
      },
      handler: async (request, reply) => {
        if (!request.isMultipart()) throw new AppError('attachment.not_multipart', 415, 'Send the files as multipart/form-data.');
        const files: attachments.UploadedFile[] = [];
        let visibility: 'public' | 'internal' = 'public';
        try {
          for await (const part of request.parts()) {
            if (part.fieldname === 'file') {
              if (part.type !== 'file') throw malformed('the `file` part must be a file (with a filename)');
              const content = await part.toBuffer();
              files.push({ filename: cleanFilename(part.filename), content });
            } else if (part.fieldname === 'visibility') {
              if (part.type === 'file') throw malformed('the `visibility` part must be a field, not a file');
              if (part.value !== 'public' && part.value !== 'internal') throw AppError.validation([{ path: 'visibility', message: 'public or internal' }]);
              visibility = part.value;
            } else {
              throw malformed(`unexpected part \`${part.fieldname.slice(0, 50)}\`; send \`file\` parts and an optional \`visibility\``);
            }
          }
        } catch (err) {
          if (err instanceof AppError) throw err;
          const { code, statusCode } = err as { code?: string; statusCode?: number };
          if (code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new AppError('attachment.too_large', 413, `Files are limited to ${Math.round(ctx.attachmentMaxBytes / 1048576)} MB each.`);
          }
          if (statusCode && statusCode >= 400 && statusCode < 500) throw err;
          // The parser's own failures (no or wrong boundary, truncated body, bad part headers) are the client's.
          throw malformed('the body could not be read as multipart/form-data (check the boundary and that the body is complete)');
        }
        const items = await attachments.addAttachments(ctx, actorOf(request), request.params.id, files, visibility);
        return reply.code(201).send({ items });
      },
    });

    app.get('/incidents/:id/attachments', {
      schema: { tags, summary: "An incident's attachments (requesters see public ones)", params: IncidentIdParams, response: { 200: z.object({ items: z.array(Attachment) }) } },
      handler: async (request) => ({ items: await attachments.listIncidentAttachments(ctx, actorOf(request), request.params.id) }),
    });

    app.get('/attachments/:id', {
      schema: { tags, summary: 'Download a file (Content-Disposition: attachment, sniffed content type)', params: IdParams },
      handler: async (request, reply) => {
        const file = await attachments.getAttachmentFile(ctx, actorOf(request), request.params.id);
        return reply
          .type(file.contentType)
          .header('content-length', file.size)
          .header('content-disposition', `attachment; filename="${file.filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, max-age=3600')
          .send(createReadStream(file.path));
      },
    });
  };
}

function malformed(why: string): AppError {
  return new AppError('attachment.malformed', 400, `Malformed upload: ${why}.`);
}

/** A display name only (the stored file has a random key): no path, no control characters, bounded length. */
function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'file';
}

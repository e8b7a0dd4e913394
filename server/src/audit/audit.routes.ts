import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditEntry, AuditExportQuery, AuditLogQuery } from '../../../contract/audit.ts';
import { page } from '../../../contract/common.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import * as audit from './audit.service.ts';

const tags = ['audit'];

export function auditRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/audit-log', {
      schema: {
        tags,
        summary: 'Who changed which configuration (users, organizations, teams, services, calendars, SLA policies, settings…), when and from which address (admin)',
        querystring: AuditLogQuery,
        response: { 200: page(AuditEntry) },
      },
      handler: async (request) => audit.listAuditLog(ctx, actorOf(request), request.query),
    });
    app.get('/audit-log/export', {
      schema: {
        tags,
        summary: 'The audit log as CSV (UTF-8 with BOM, streamed), with the same filters (admin)',
        querystring: AuditExportQuery,
      },
      handler: async (request, reply) => {
        const { filename, lines } = audit.exportAuditLog(ctx, actorOf(request), request.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename=${filename}`)
          .header('cache-control', 'no-store')
          .send(Readable.from(lines));
      },
    });
  };
}

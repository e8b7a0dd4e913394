import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, page } from '../../../contract/common.ts';
import {
  CreateSlaPolicyBody, SlaPolicy, SlaPolicyListQuery, SlaRecomputeBody, SlaRecomputeResult, SlaReport, SlaReportQuery, UpdateSlaPolicyBody,
} from '../../../contract/sla.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import * as policies from './sla-policy.service.ts';
import { recomputeOpenIncidents } from './sla-recompute.service.ts';
import { slaReport } from './sla-report.service.ts';

const tags = ['SLA'];

export function slaRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/sla-policies', {
      schema: { tags, summary: 'Create an SLA policy: TTO/TTR targets per priority on a business calendar (manager)', body: CreateSlaPolicyBody, response: { 201: SlaPolicy } },
      handler: async (request, reply) => reply.code(201).send(await policies.createSlaPolicy(ctx, actorOf(request), request.body)),
    });
    app.get('/sla-policies', {
      schema: { tags, summary: 'SLA policies (staff)', querystring: SlaPolicyListQuery, response: { 200: page(SlaPolicy) } },
      handler: async (request) => policies.listSlaPolicies(ctx, actorOf(request), request.query),
    });
    app.get('/sla-policies/:id', {
      schema: { tags, summary: 'One SLA policy (staff)', params: IdParams, response: { 200: SlaPolicy } },
      handler: async (request) => policies.getSlaPolicy(ctx, actorOf(request), request.params.id),
    });
    app.patch('/sla-policies/:id', {
      schema: { tags, summary: 'Update an SLA policy; `active: false` deactivates it (manager)', params: IdParams, body: UpdateSlaPolicyBody, response: { 200: SlaPolicy } },
      handler: async (request) => policies.updateSlaPolicy(ctx, actorOf(request), request.params.id, request.body),
    });
    app.delete('/sla-policies/:id', {
      schema: { tags, summary: 'Deactivate an SLA policy (never deleted: incidents point to it)', params: IdParams, response: { 200: SlaPolicy } },
      handler: async (request) => policies.updateSlaPolicy(ctx, actorOf(request), request.params.id, { active: false }),
    });
    app.post('/sla/recompute', {
      schema: {
        tags,
        summary: 'Recompute the SLA state of the open incidents of your organizations (or of `orgId`), e.g. after changing policies or calendars (manager)',
        body: SlaRecomputeBody,
        response: { 200: SlaRecomputeResult },
      },
      handler: async (request) => recomputeOpenIncidents(ctx, actorOf(request), request.body ?? {}),
    });
    app.get('/reports/sla', {
      schema: { tags, summary: 'SLA compliance per organization and priority over a period (incidents reported in it)', querystring: SlaReportQuery, response: { 200: SlaReport } },
      handler: async (request) => slaReport(ctx, actorOf(request), request.query),
    });
  };
}

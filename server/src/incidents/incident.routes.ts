import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { page } from '../../../contract/common.ts';
import {
  CreateCommentBody, CreateIncidentBody, Incident, IncidentIdParams, IncidentListQuery, TimelineEntry, TimelineQuery,
  TransitionBody, UpdateIncidentBody,
} from '../../../contract/incidents.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import { getTimeline } from '../timeline/timeline.service.ts';
import { addComment } from './incident-comment.service.ts';
import { transitionIncident } from './incident-transition.service.ts';
import * as incidents from './incident.service.ts';

const tags = ['incidents'];

export function incidentRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/incidents', {
      schema: { tags, summary: 'Log an incident from any channel', body: CreateIncidentBody, response: { 201: Incident } },
      handler: async (request, reply) => {
        // Staff logging through the console are taking a call; through an API token, an integration.
        const defaultChannel = request.headers.authorization ? 'api' : 'phone';
        const incident = await incidents.createIncident(ctx, actorOf(request), request.body, defaultChannel);
        return reply.code(201).header('location', `/api/v1/incidents/${incident.id}`).send(incident);
      },
    });
    app.get('/incidents', {
      schema: { tags, summary: 'Incidents you may see, filtered, sorted and paginated by cursor', querystring: IncidentListQuery, response: { 200: page(Incident) } },
      handler: async (request) => incidents.listIncidents(ctx, actorOf(request), request.query),
    });
    app.get('/incidents/:id', {
      schema: { tags, summary: 'One incident, by id or reference (I-000123)', params: IncidentIdParams, response: { 200: Incident } },
      handler: async (request) => incidents.getIncident(ctx, actorOf(request), request.params.id),
    });
    app.patch('/incidents/:id', {
      schema: { tags, summary: 'Edit fields (staff); assignment, priority override with a reason (manager)', params: IncidentIdParams, body: UpdateIncidentBody, response: { 200: Incident } },
      handler: async (request) => incidents.updateIncident(ctx, actorOf(request), request.params.id, request.body),
    });
    app.post('/incidents/:id/transitions', {
      schema: { tags, summary: 'Change status, with the fields the target status requires', params: IncidentIdParams, body: TransitionBody, response: { 200: Incident } },
      handler: async (request) => transitionIncident(ctx, actorOf(request), request.params.id, request.body),
    });
    app.post('/incidents/:id/comments', {
      schema: { tags, summary: 'Add a public reply or an internal note', params: IncidentIdParams, body: CreateCommentBody, response: { 201: TimelineEntry } },
      handler: async (request, reply) => reply.code(201).send(await addComment(ctx, actorOf(request), request.params.id, request.body)),
    });
    app.get('/incidents/:id/timeline', {
      schema: { tags, summary: 'The audit trail: replies, notes and events, oldest first', params: IncidentIdParams, querystring: TimelineQuery, response: { 200: page(TimelineEntry) } },
      handler: async (request) => getTimeline(ctx, actorOf(request), request.params.id, request.query),
    });
  };
}

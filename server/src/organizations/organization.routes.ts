import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, page } from '../../../contract/common.ts';
import { CreateOrganizationBody, Organization, OrganizationListQuery, UpdateOrganizationBody } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import * as orgs from './organization.service.ts';

const tags = ['organizations'];

export function organizationRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/organizations', {
      schema: { tags, summary: 'Create a client organization (admin)', body: CreateOrganizationBody, response: { 201: Organization } },
      handler: async (request, reply) => reply.code(201).send(await orgs.createOrganization(ctx, actorOf(request), request.body)),
    });
    app.get('/organizations', {
      schema: { tags, summary: 'Organizations in your scope', querystring: OrganizationListQuery, response: { 200: page(Organization) } },
      handler: async (request) => orgs.listOrganizations(ctx, actorOf(request), request.query),
    });
    app.get('/organizations/:id', {
      schema: { tags, summary: 'One organization', params: IdParams, response: { 200: Organization } },
      handler: async (request) => orgs.getOrganization(ctx, actorOf(request), request.params.id),
    });
    app.patch('/organizations/:id', {
      schema: { tags, summary: 'Update an organization; `active: false` deactivates it (admin)', params: IdParams, body: UpdateOrganizationBody, response: { 200: Organization } },
      handler: async (request) => orgs.updateOrganization(ctx, actorOf(request), request.params.id, request.body),
    });
    app.delete('/organizations/:id', {
      schema: { tags, summary: 'Deactivate an organization (never deleted: history points to it)', params: IdParams, response: { 200: Organization } },
      handler: async (request) => orgs.updateOrganization(ctx, actorOf(request), request.params.id, { active: false }),
    });
  };
}

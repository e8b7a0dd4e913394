import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, page } from '../../../contract/common.ts';
import { CreateServiceBody, Service, ServiceListQuery, UpdateServiceBody } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import * as services from './service.service.ts';

const tags = ['services'];

export function serviceRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/services', {
      schema: { tags, summary: 'Add a service to the catalog (manager)', body: CreateServiceBody, response: { 201: Service } },
      handler: async (request, reply) => reply.code(201).send(await services.createService(ctx, actorOf(request), request.body)),
    });
    app.get('/services', {
      schema: { tags, summary: 'The service catalog', querystring: ServiceListQuery, response: { 200: page(Service) } },
      handler: async (request) => services.listServices(ctx, request.query),
    });
    app.get('/services/:id', {
      schema: { tags, summary: 'One service', params: IdParams, response: { 200: Service } },
      handler: async (request) => services.getService(ctx, request.params.id),
    });
    app.patch('/services/:id', {
      schema: { tags, summary: 'Update a service; `active: false` deactivates it (manager)', params: IdParams, body: UpdateServiceBody, response: { 200: Service } },
      handler: async (request) => services.updateService(ctx, actorOf(request), request.params.id, request.body),
    });
    app.delete('/services/:id', {
      schema: { tags, summary: 'Deactivate a service (never deleted: incidents point to it)', params: IdParams, response: { 200: Service } },
      handler: async (request) => services.updateService(ctx, actorOf(request), request.params.id, { active: false }),
    });
  };
}

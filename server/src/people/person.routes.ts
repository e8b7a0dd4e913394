import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, page } from '../../../contract/common.ts';
import { CreatePersonBody, Person, PersonListQuery, UpdatePersonBody } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import * as people from './person.service.ts';

const tags = ['people'];

export function personRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/people', {
      schema: { tags, summary: 'Add a contact to an organization (staff)', body: CreatePersonBody, response: { 201: Person } },
      handler: async (request, reply) => reply.code(201).send(await people.createPerson(ctx, actorOf(request), request.body)),
    });
    app.get('/people', {
      schema: { tags, summary: 'Contacts in your scope; `q` matches name, e-mail or phone (staff)', querystring: PersonListQuery, response: { 200: page(Person) } },
      handler: async (request) => people.listPeople(ctx, actorOf(request), request.query),
    });
    app.get('/people/:id', {
      schema: { tags, summary: 'One contact', params: IdParams, response: { 200: Person } },
      handler: async (request) => people.getPerson(ctx, actorOf(request), request.params.id),
    });
    app.patch('/people/:id', {
      schema: { tags, summary: 'Update a contact; `active: false` deactivates it (staff)', params: IdParams, body: UpdatePersonBody, response: { 200: Person } },
      handler: async (request) => people.updatePerson(ctx, actorOf(request), request.params.id, request.body),
    });
    app.delete('/people/:id', {
      schema: { tags, summary: 'Deactivate a contact (never deleted: incidents point to it)', params: IdParams, response: { 200: Person } },
      handler: async (request) => people.updatePerson(ctx, actorOf(request), request.params.id, { active: false }),
    });
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SessionsEnded } from '../../../contract/auth.ts';
import { IdParams, page } from '../../../contract/common.ts';
import { CreateUserBody, UpdateUserBody, User, UserListQuery } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import * as users from './user.service.ts';

const tags = ['users'];

export function userRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/users', {
      schema: { tags, summary: 'Create a login (admin); `password` is write-only', body: CreateUserBody, response: { 201: User } },
      handler: async (request, reply) => reply.code(201).send(await users.createUser(ctx, actorOf(request), request.body)),
    });
    app.get('/users', {
      schema: { tags, summary: 'Users you may see (staff)', querystring: UserListQuery, response: { 200: page(User) } },
      handler: async (request) => users.listUsers(ctx, actorOf(request), request.query),
    });
    app.get('/users/:id', {
      schema: { tags, summary: 'One user', params: IdParams, response: { 200: User } },
      handler: async (request) => users.getUser(ctx, actorOf(request), request.params.id),
    });
    app.patch('/users/:id', {
      schema: {
        tags,
        summary:
          "Update a user (admin; yourself: name, locale); `active: false` deactivates. `password` sets someone else's (admins) and ends their sessions; your own is refused (403 `user.own_password`): use POST /me/password",
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User },
      },
      handler: async (request) => users.updateUser(ctx, actorOf(request), request.params.id, request.body),
    });
    app.delete('/users/:id', {
      schema: { tags, summary: 'Deactivate a user (never deleted: history points to it)', params: IdParams, response: { 200: User } },
      handler: async (request) => users.updateUser(ctx, actorOf(request), request.params.id, { active: false }),
    });
    app.delete('/users/:id/sessions', {
      schema: { tags, summary: "Sign a user out of every session (admin); the user's API tokens stay", params: IdParams, response: { 200: SessionsEnded } },
      handler: async (request) => users.endAllSessions(ctx, actorOf(request), request.params.id),
    });
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateSavedViewBody, SavedView } from '../../../contract/auth.ts';
import { IdParams } from '../../../contract/common.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import { AppError } from '../http/errors.ts';
import * as repo from './saved-view.repository.ts';

const tags = ['saved views'];

/** Each user's own named queue filters; nobody else sees them. */
export function savedViewRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/saved-views', {
      schema: { tags, summary: 'Your saved incident views', response: { 200: z.object({ items: z.array(SavedView) }) } },
      handler: async (request) => ({ items: (await repo.listSavedViews(ctx.db, actorOf(request).userId)).map(repo.toSavedView) }),
    });
    app.post('/saved-views', {
      schema: { tags, summary: 'Save the filters of a queue under a name', body: CreateSavedViewBody, response: { 201: SavedView } },
      handler: async (request, reply) => {
        const row = await repo.insertSavedView(ctx.db, { userId: actorOf(request).userId, ...request.body, at: ctx.clock.now().toISOString() });
        return reply.code(201).send(repo.toSavedView(row));
      },
    });
    app.delete('/saved-views/:id', {
      schema: { tags, summary: 'Delete one of your saved views', params: IdParams, response: { 204: z.null() } },
      handler: async (request, reply) => {
        if (!(await repo.deleteSavedView(ctx.db, actorOf(request).userId, request.params.id))) throw AppError.notFound('Saved view');
        return reply.code(204).send(null);
      },
    });
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, page } from '../../../contract/common.ts';
import { CreateTeamBody, Team, TeamListQuery, UpdateTeamBody } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import * as teams from './team.service.ts';

const tags = ['teams'];

export function teamRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/teams', {
      schema: { tags, summary: 'Create a team of agents (manager)', body: CreateTeamBody, response: { 201: Team } },
      handler: async (request, reply) => reply.code(201).send(await teams.createTeam(ctx, actorOf(request), request.body)),
    });
    app.get('/teams', {
      schema: { tags, summary: 'Teams (staff)', querystring: TeamListQuery, response: { 200: page(Team) } },
      handler: async (request) => teams.listTeams(ctx, actorOf(request), request.query),
    });
    app.get('/teams/:id', {
      schema: { tags, summary: 'One team and its members (staff)', params: IdParams, response: { 200: Team } },
      handler: async (request) => teams.getTeam(ctx, actorOf(request), request.params.id),
    });
    app.patch('/teams/:id', {
      schema: { tags, summary: 'Update a team; `memberIds` replaces the members; `active: false` deactivates (manager)', params: IdParams, body: UpdateTeamBody, response: { 200: Team } },
      handler: async (request) => teams.updateTeam(ctx, actorOf(request), request.params.id, request.body),
    });
    app.delete('/teams/:id', {
      schema: { tags, summary: 'Deactivate a team (never deleted: incidents point to it)', params: IdParams, response: { 200: Team } },
      handler: async (request) => teams.updateTeam(ctx, actorOf(request), request.params.id, { active: false }),
    });
  };
}

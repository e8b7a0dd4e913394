import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiToken, ChangedPassword, ChangePasswordBody, CreateApiTokenBody, CreatedApiToken, LoginBody, Me, Session, SessionParams, SessionsEnded } from '../../../contract/auth.ts';
import { IdParams } from '../../../contract/common.ts';
import { LoginChallenge } from '../../../contract/two-factor.ts';
import type { Ctx } from '../context.ts';
import { actorOf, currentSessionOf, SESSION_COOKIE, setSessionCookie } from '../http/authenticate.ts';
import { teamIdsOf } from '../teams/team.repository.ts';
import { findUserById, toUser } from '../users/user.repository.ts';
import { AppError } from '../http/errors.ts';
import * as auth from './auth.service.ts';
import * as sessions from './session.service.ts';

export function authRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/auth/login', {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary:
          'Sign in; sets an HttpOnly session cookie (200). A user with two-factor sign-in gets 202 {twoFactorRequired, challenge} and no session: send a code to POST /auth/login/two-factor. Staff who must use it and have not set it up get 202 {twoFactorSetupRequired, challenge}: POST /auth/login/two-factor/setup, then the first code to POST /auth/login/two-factor',
        body: LoginBody,
        response: { 200: Me, 202: LoginChallenge },
      },
      handler: async (request, reply) => {
        const result = await auth.login(ctx, { ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] });
        if (result.twoFactor) {
          const { purpose, challenge, methods } = result.twoFactor;
          return reply.code(202).send(purpose === 'verify' ? { twoFactorRequired: true, challenge, methods } : { twoFactorSetupRequired: true, challenge });
        }
        const { user, sessionToken, expiresAt } = result;
        setSessionCookie(ctx, reply, sessionToken, expiresAt);
        return toMe(toUser(user), await teamIdsOf(ctx.db, user.id));
      },
    });

    app.post('/auth/logout', {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Sign out', response: { 204: z.null() } },
      handler: async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await auth.logout(ctx, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    });

    app.get('/me', {
      schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: Me } },
      handler: async (request) => {
        const row = await findUserById(ctx.db, actorOf(request).userId);
        if (!row) throw new AppError('auth.unauthenticated', 401, 'Sign in first.');
        return toMe(toUser(row), await teamIdsOf(ctx.db, row.id));
      },
    });

    app.post('/api-tokens', {
      config: { sessionOnly: true },
      schema: { tags: ['auth'], summary: `Create an API token (shown once), optionally read-only and expiring. ${SESSION_ONLY}`, body: CreateApiTokenBody, response: { 201: CreatedApiToken } },
      handler: async (request, reply) => reply.code(201).send(await auth.createApiToken(ctx, actorOf(request), request.body)),
    });

    app.get('/api-tokens', {
      schema: { tags: ['auth'], summary: "The signed-in user's API tokens that still work (neither revoked nor expired)", response: { 200: z.object({ items: z.array(ApiToken) }) } },
      handler: async (request) => ({ items: await auth.listApiTokens(ctx, actorOf(request)) }),
    });

    app.delete('/api-tokens/:id', {
      schema: { tags: ['auth'], summary: 'Revoke an API token', params: IdParams, response: { 204: z.null() } },
      handler: async (request, reply) => {
        await auth.revokeApiToken(ctx, actorOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    });

    app.get('/me/sessions', {
      schema: { tags: ['auth'], summary: "The signed-in user's open sessions (`current`: this one)", response: { 200: z.object({ items: z.array(Session) }) } },
      handler: async (request) => ({ items: await sessions.listSessions(ctx, actorOf(request), currentSessionOf(request)) }),
    });

    app.delete('/me/sessions/:id', {
      config: { sessionOnly: true },
      schema: { tags: ['auth'], summary: `Sign out one of your sessions. ${SESSION_ONLY}`, params: SessionParams, response: { 204: z.null() } },
      handler: async (request, reply) => {
        await sessions.revokeSession(ctx, actorOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    });

    app.post('/me/sessions/revoke-others', {
      config: { sessionOnly: true },
      schema: { tags: ['auth'], summary: `Sign out everywhere else: every session but this one, and any sign-in awaiting its second step. ${SESSION_ONLY}`, response: { 200: SessionsEnded } },
      handler: async (request) => sessions.revokeOtherSessions(ctx, actorOf(request), currentSessionOf(request)),
    });

    app.post('/me/password', {
      config: { sessionOnly: true },
      schema: {
        tags: ['auth'],
        summary: `Change your password (the current one is required); your other sessions end, API tokens stay. A wrong current password counts as a failed sign-in of your account: after 5 in 15 minutes both this and signing in answer 429 until the window passes. ${SESSION_ONLY}`,
        body: ChangePasswordBody,
        response: { 200: ChangedPassword },
      },
      handler: async (request) => sessions.changeOwnPassword(ctx, actorOf(request), currentSessionOf(request), request.body, request.ip),
    });
  };
}

/** Said of every route that only a session may call (`config.sessionOnly`). */
export const SESSION_ONLY = 'With the session cookie only: an API token gets 403 `auth.session_required`.';

export function toMe(u: ReturnType<typeof toUser>, teamIds: number[]) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, orgId: u.orgId, orgScope: u.orgScope, personId: u.personId, locale: u.locale, teamIds, portalScope: u.portalScope };
}

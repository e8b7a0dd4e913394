import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../auth/auth.service.ts';
import type { Ctx } from '../context.ts';
import type { Actor } from '../tenancy/scope.ts';
import { AppError } from './errors.ts';

export const SESSION_COOKIE = 'vigie_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
  }
}

/** Resolves the session cookie or bearer token of every API request; 401 unless the route is public. */
export function registerAuthentication(app: FastifyInstance, ctx: Ctx): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    // The matched route, not the raw URL: `/api/%761/…` reaches `/api/v1/…` routes too.
    if (!(request.routeOptions.url ?? request.url).startsWith('/api/v1/')) return;
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const session = request.cookies[SESSION_COOKIE];
    request.actor = bearer || session ? await authenticate(ctx, { bearer, session }) : null;
    if (!request.actor && !request.routeOptions.config.public) {
      throw new AppError('auth.unauthenticated', 401, bearer ? 'Invalid or revoked API token.' : 'Sign in first.');
    }
  });
}

/** The signed-in actor of a protected route. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('auth.unauthenticated', 401, 'Sign in first.');
  return request.actor;
}

/** Sets the HttpOnly session cookie after a sign-in (password or single sign-on). */
export function setSessionCookie(ctx: Ctx, reply: FastifyReply, sessionToken: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, sessionToken, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies, expires: expiresAt });
}

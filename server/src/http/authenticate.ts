import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, type Credential } from '../auth/auth.service.ts';
import type { Ctx } from '../context.ts';
import type { Actor } from '../tenancy/scope.ts';
import { AppError } from './errors.ts';

export const SESSION_COOKIE = 'vigie_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** The session or API token that identified the actor. */
    credential: Credential | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /**
     * Account security (API tokens, password, two-factor sign-in, sessions): only with a session, so that a token,
     * read-only, expiring or leaked, can never mint a lasting credential or lock its owner out.
     */
    sessionOnly?: boolean;
  }
}

/** Resolves the session cookie or bearer token of every API request; 401 unless the route is public. */
export function registerAuthentication(app: FastifyInstance, ctx: Ctx): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('credential', null);
  app.addHook('onRequest', async (request) => {
    // The matched route, not the raw URL: `/api/%761/…` reaches `/api/v1/…` routes too.
    if (!(request.routeOptions.url ?? request.url).startsWith('/api/v1/')) return;
    const bearer = bearerTokenOf(request);
    const session = request.cookies[SESSION_COOKIE];
    const found = bearer || session ? await authenticate(ctx, { bearer, session, ip: request.ip }) : null;
    request.actor = found?.actor ?? null;
    request.credential = found?.credential ?? null;
    if (!request.actor && !request.routeOptions.config.public) {
      throw new AppError('auth.unauthenticated', 401, bearer ? 'Invalid, expired or revoked API token.' : 'Sign in first.');
    }
    if (found?.credential.kind === 'token' && found.credential.readOnly && !SAFE_METHODS.has(request.method)) {
      throw new AppError('auth.read_only_token', 403, 'This API token is read-only: it may not change anything.');
    }
    if (found?.credential.kind === 'token' && request.routeOptions.config.sessionOnly) {
      throw new AppError('auth.session_required', 403, 'An API token may not change account security (tokens, password, two-factor sign-in, sessions): sign in to Vigie and do it from your account page.');
    }
  });
}

/**
 * The API token of an `Authorization: Bearer <token>` header, or undefined when there is none or it is blank.
 * Authentication uses it instead of the session cookie, and only then is a request exempt from the CSRF check:
 * both ask here, so that they always agree.
 */
export function bearerTokenOf(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  return token === '' ? undefined : token;
}

/** The hash of the session cookie of this request, when it was made with one (not with an API token). */
export function currentSessionOf(request: FastifyRequest): string | undefined {
  return request.credential?.kind === 'session' ? request.credential.hash : undefined;
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

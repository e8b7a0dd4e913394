import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, page } from '../../../contract/common.ts';
import {
  CreateIdentityProviderBody, IdentityProvider, IdentityProviderListQuery, SsoCallbackQuery, SsoDiscoverQuery, SsoProviderList, SsoStartQuery,
  UpdateIdentityProviderBody,
} from '../../../contract/sso.ts';
import { openSession } from '../auth/auth.service.ts';
import type { Ctx } from '../context.ts';
import { actorOf, setSessionCookie } from '../http/authenticate.ts';
import { AppError } from '../http/errors.ts';
import * as sso from './sso.service.ts';

const tags = ['single sign-on'];
const CALLBACK_PATH = '/api/v1/auth/sso/callback';
/** The sealed sign-in attempt; sent back only to the callback. */
const ATTEMPT_COOKIE = 'vigie_sso';
const redirect = z.null().describe('Redirect (302)');

export interface SsoOptions {
  /** `VIGIE_PUBLIC_URL`: the address users reach Vigie at; else derived from each request. */
  publicUrl?: string;
}

export function ssoRoutes(ctx: Ctx, opts: SsoOptions): FastifyPluginAsyncZod {
  // Host, and X-Forwarded-Host/-Proto only when the app trusts its proxy (Fastify's trustProxy).
  // Normalized (`:80` dropped…) as openid-client will normalize it at the callback: the two must match exactly.
  const callbackUrl = (request: FastifyRequest) => new URL(CALLBACK_PATH, opts.publicUrl ?? `${request.protocol}://${request.host}`).href;

  return async (app) => {
    app.get('/identity-providers', {
      schema: { tags, summary: 'Identity providers (admin)', querystring: IdentityProviderListQuery, response: { 200: page(IdentityProvider) } },
      handler: async (request) => sso.listIdentityProviders(ctx, actorOf(request), request.query, callbackUrl(request)),
    });
    app.post('/identity-providers', {
      schema: { tags, summary: 'Register an OpenID Connect identity provider for an organization (admin); `clientSecret` is write-only', body: CreateIdentityProviderBody, response: { 201: IdentityProvider } },
      handler: async (request, reply) => reply.code(201).send(await sso.createIdentityProvider(ctx, actorOf(request), request.body, callbackUrl(request))),
    });
    app.get('/identity-providers/:id', {
      schema: { tags, summary: 'One identity provider (admin)', params: IdParams, response: { 200: IdentityProvider } },
      handler: async (request) => sso.getIdentityProvider(ctx, actorOf(request), request.params.id, callbackUrl(request)),
    });
    app.patch('/identity-providers/:id', {
      schema: { tags, summary: 'Update an identity provider (admin); `active: false` deactivates it', params: IdParams, body: UpdateIdentityProviderBody, response: { 200: IdentityProvider } },
      handler: async (request) => sso.updateIdentityProvider(ctx, actorOf(request), request.params.id, request.body, callbackUrl(request)),
    });

    app.get('/auth/sso/discover', {
      config: { public: true },
      schema: { tags, summary: "Identity providers for this e-mail's domain (ids and names only)", querystring: SsoDiscoverQuery, response: { 200: SsoProviderList } },
      handler: async (request) => ({ items: await sso.discoverProviders(ctx, request.query.email) }),
    });
    app.get('/auth/sso/providers', {
      config: { public: true },
      schema: { tags, summary: 'Identity providers shown as buttons on the sign-in page', response: { 200: SsoProviderList } },
      handler: async () => ({ items: await sso.buttonProviders(ctx) }),
    });
    app.get('/auth/sso/:id/start', {
      config: { public: true },
      schema: { tags, summary: 'Start signing in: redirects to the identity provider (authorization code, PKCE S256, state, nonce)', params: IdParams, querystring: SsoStartQuery, response: { 302: redirect } },
      handler: async (request, reply) =>
        withSsoErrors(request, reply, async () => {
          const { url, sealedAttempt } = await sso.startSignIn(ctx, request.params.id, { returnTo: request.query.returnTo, loginHint: request.query.email, redirectUri: callbackUrl(request) });
          // Binds the attempt to this browser: a callback carrying someone else's code and state finds no matching cookie.
          reply.setCookie(ATTEMPT_COOKIE, sealedAttempt, { path: CALLBACK_PATH, httpOnly: true, sameSite: 'lax', secure: ctx.secureCookies, maxAge: sso.ATTEMPT_MINUTES * 60 });
          return reply.redirect(url, 302);
        }),
    });
    app.get('/auth/sso/callback', {
      config: { public: true },
      schema: { tags, summary: 'Where the identity provider sends the browser back; opens a session and redirects to `returnTo`', querystring: SsoCallbackQuery, response: { 302: redirect } },
      handler: async (request, reply) =>
        withSsoErrors(request, reply, async () => {
          const query = new URL(request.url, 'http://callback.invalid').searchParams;
          const sealedAttempt = request.cookies[ATTEMPT_COOKIE];
          reply.clearCookie(ATTEMPT_COOKIE, { path: CALLBACK_PATH });
          const { userId, returnTo } = await sso.completeSignIn(ctx, { sealedAttempt, query });
          const { sessionToken, expiresAt } = await openSession(ctx, userId, { ip: request.ip, userAgent: request.headers['user-agent'], method: 'sso' });
          setSessionCookie(ctx, reply, sessionToken, expiresAt);
          return reply.redirect(returnTo, 302);
        }),
    });
  };
}

/** Single sign-on runs in browser navigations: a refusal lands on the sign-in page, which says why. */
async function withSsoErrors(request: FastifyRequest, reply: FastifyReply, run: () => Promise<FastifyReply>) {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof AppError) || !err.code.startsWith('sso.')) throw err;
    request.log.warn({ code: err.code, detail: err.message, cause: causeForLog(err.cause) }, 'single sign-on refused');
    return reply.redirect(`/?ssoError=${err.code.slice(4)}`, 302);
  }
}

/**
 * What the log keeps of an identity provider's failure: its name, code and message, never the rest
 * (openid-client attaches the ID token's claims, e-mail included, to the errors of its checks).
 */
function causeForLog(cause: unknown) {
  if (!(cause instanceof Error)) return undefined;
  const { code, error, status } = cause as Error & { code?: unknown; error?: unknown; status?: unknown };
  return {
    name: cause.name,
    message: cause.message,
    ...(typeof code === 'string' && { code }),
    // An OAuth error code of the provider's answer (invalid_client…) and its HTTP status.
    ...(typeof error === 'string' && { error }),
    ...(typeof status === 'number' && { status }),
  };
}

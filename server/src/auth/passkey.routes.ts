import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Me } from '../../../contract/auth.ts';
import { IdParams } from '../../../contract/common.ts';
import {
  AddedPasskey,
  AddPasskeyBody,
  LoginPasskeyBody,
  LoginPasskeyOptionsBody,
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyRequestOptions,
} from '../../../contract/passkeys.ts';
import { AddFactorProofBody, TwoFactorProofBody } from '../../../contract/two-factor.ts';
import type { Ctx } from '../context.ts';
import { actorOf, setSessionCookie } from '../http/authenticate.ts';
import { teamIdsOf } from '../teams/team.repository.ts';
import { toUser } from '../users/user.repository.ts';
import { SESSION_ONLY, toMe } from './auth.routes.ts';
import { openSession } from './auth.service.ts';
import * as passkeys from './passkey.service.ts';

const tags = ['two-factor'];

/** Passkeys (WebAuthn) as a second factor: each user's own, and the sign-in step with one. */
export function passkeyRoutes(ctx: Ctx, opts: { publicUrl?: string }): FastifyPluginAsyncZod {
  const rp = (request: FastifyRequest) => passkeys.relyingParty(opts.publicUrl, `${request.protocol}://${request.host}`);
  return async (app) => {
    // ----- the sign-in step, after POST /auth/login answered 202 {twoFactorRequired, methods: [… 'passkey']} -----
    app.post('/auth/login/two-factor/passkey-options', {
      config: { public: true },
      schema: {
        tags: ['auth', ...tags],
        summary:
          "Second sign-in step with a passkey: the challenge of POST /auth/login → WebAuthn authentication options listing that user's passkeys (for navigator.credentials.get). 409 `auth.no_passkey` when the user has none; 401 `auth.challenge_expired` as for codes",
        body: LoginPasskeyOptionsBody,
        response: { 200: PasskeyRequestOptions },
      },
      handler: async (request) => ({ ...(await passkeys.passkeyOptionsAtSignIn(ctx, request.body.challenge, rp(request))) }),
    });
    app.post('/auth/login/two-factor/passkey', {
      config: { public: true },
      schema: {
        tags: ['auth', ...tags],
        summary:
          "Second sign-in step with a passkey: the challenge and the browser's answer to the passkey options → the signed-in user and the session cookie. 401 `auth.invalid_passkey` for a passkey that is not this user's, a signature that does not verify for this origin, or a counter that did not move forward (retry with the same challenge); 401 `auth.challenge_expired` once used or after 5 minutes; 429 after 5 wrong attempts (codes and passkeys together) in 15 minutes",
        body: LoginPasskeyBody,
        response: { 200: Me },
      },
      handler: async (request, reply) => {
        const user = await passkeys.completeSignInWithPasskey(ctx, request.body.challenge, request.body.response as AuthenticationResponseJSON, rp(request));
        const { sessionToken, expiresAt } = await openSession(ctx, user.id, { ip: request.ip, userAgent: request.headers['user-agent'], method: 'two_factor' });
        setSessionCookie(ctx, reply, sessionToken, expiresAt);
        return toMe(toUser(user), await teamIdsOf(ctx.db, user.id));
      },
    });

    // ----- the signed-in user's passkeys -----
    app.get('/me/two-factor/passkeys', {
      schema: { tags, summary: 'Your passkeys (second factor)', response: { 200: PasskeyList } },
      handler: async (request) => passkeys.listOwnPasskeys(ctx, actorOf(request)),
    });
    app.post('/me/two-factor/passkeys/options', {
      config: { sessionOnly: true },
      schema: {
        tags,
        summary: `Start adding a passkey: WebAuthn registration options (relying party "Vigie", this host) for navigator.credentials.create; valid 5 minutes, for one registration. No body (or \`{}\`) while two-factor sign-in is off; once it is on, your password or a current code (422 \`two_factor.proof_required\` without it, \`two_factor.invalid_proof\` when wrong). ${SESSION_ONLY}`,
        body: AddFactorProofBody,
        response: { 200: PasskeyCreationOptions },
      },
      handler: async (request) => ({ ...(await passkeys.startPasskeyRegistration(ctx, actorOf(request), rp(request), request.body ?? {})) }),
    });
    app.post('/me/two-factor/passkeys', {
      config: { sessionOnly: true },
      schema: {
        tags,
        summary: `Add a passkey: its name and the browser's answer to the registration options. Turns two-factor sign-in on when it was off, and then answers recovery codes (once); when it was already on, your recovery codes stay as they are. 409 \`passkey.not_started\` without live options, 422 \`passkey.invalid_response\` when it does not verify for this origin. ${SESSION_ONLY}`,
        body: AddPasskeyBody,
        response: { 200: AddedPasskey },
      },
      handler: async (request) => passkeys.addOwnPasskey(ctx, actorOf(request), { name: request.body.name, response: request.body.response as RegistrationResponseJSON }, rp(request)),
    });
    app.delete('/me/two-factor/passkeys/:id', {
      config: { sessionOnly: true },
      schema: {
        tags,
        summary: `Remove one of your passkeys, after your password or a current code; removing your last second factor turns two-factor sign-in off (409 while the provider requires it of staff). ${SESSION_ONLY}`,
        params: IdParams,
        body: TwoFactorProofBody,
        response: { 204: z.null() },
      },
      handler: async (request, reply) => {
        await passkeys.removeOwnPasskey(ctx, actorOf(request), request.params.id, request.body);
        return reply.code(204).send(null);
      },
    });
  };
}

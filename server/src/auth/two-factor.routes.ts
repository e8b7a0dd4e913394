import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../contract/common.ts';
import {
  AddFactorProofBody,
  ConfirmTotpBody,
  LoginSetupBody,
  LoginTwoFactorBody,
  MeWithRecoveryCodes,
  RecoveryCodes,
  TotpConfirmed,
  TotpEnrolment,
  TwoFactorProofBody,
  TwoFactorStatus,
} from '../../../contract/two-factor.ts';
import type { Ctx } from '../context.ts';
import { actorOf, setSessionCookie } from '../http/authenticate.ts';
import { teamIdsOf } from '../teams/team.repository.ts';
import { toUser } from '../users/user.repository.ts';
import { SESSION_ONLY, toMe } from './auth.routes.ts';
import { openSession } from './auth.service.ts';
import * as twoFactor from './two-factor.service.ts';

const tags = ['two-factor'];

/** TOTP two-factor sign-in: the second sign-in step, each user's own set-up, and the admin reset. */
export function twoFactorRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    // ----- the sign-in step, after POST /auth/login answered 202 -----
    app.post('/auth/login/two-factor', {
      config: { public: true },
      schema: {
        tags: ['auth', ...tags],
        summary:
          'Second sign-in step: the challenge of POST /auth/login and a TOTP code or a recovery code (each recovery code works once) → the signed-in user and the session cookie. After a forced set-up, the first code of the new app turns two-factor sign-in on and the answer carries the recovery codes, once. 401 `auth.invalid_code` / `auth.code_reused` for a wrong or already used code (retry with the same challenge), 401 `auth.challenge_expired` after 5 minutes (15 for a set-up) or once used: sign in again; 429 after 5 wrong codes in 15 minutes',
        body: LoginTwoFactorBody,
        response: { 200: MeWithRecoveryCodes },
      },
      handler: async (request, reply) => {
        const { user, recoveryCodes } = await twoFactor.completeSignIn(ctx, request.body.challenge, request.body.code);
        const { sessionToken, expiresAt } = await openSession(ctx, user.id, { ip: request.ip, userAgent: request.headers['user-agent'], method: 'two_factor' });
        setSessionCookie(ctx, reply, sessionToken, expiresAt);
        return { ...toMe(toUser(user), await teamIdsOf(ctx.db, user.id)), ...(recoveryCodes && { recoveryCodes }) };
      },
    });
    app.post('/auth/login/two-factor/setup', {
      config: { public: true },
      schema: {
        tags: ['auth', ...tags],
        summary: 'Forced set-up at sign-in (after 202 {twoFactorSetupRequired}): a new TOTP seed and its QR code; then send its first code with the same challenge to POST /auth/login/two-factor',
        body: LoginSetupBody,
        response: { 200: TotpEnrolment },
      },
      handler: async (request) => twoFactor.startEnrolmentAtSignIn(ctx, request.body.challenge),
    });

    // ----- the signed-in user's own set-up -----
    app.get('/me/two-factor', {
      schema: { tags, summary: 'Your two-factor sign-in: on or off, recovery codes left, whether it is required of you', response: { 200: TwoFactorStatus } },
      handler: async (request) => twoFactor.twoFactorStatus(ctx, actorOf(request)),
    });
    app.post('/me/two-factor/totp', {
      config: { sessionOnly: true },
      schema: {
        tags,
        summary: `Start setting up an authenticator app (issuer "Vigie", account your e-mail): a new seed and its QR code, pending until POST /me/two-factor/totp/confirm. No body (or \`{}\`) while two-factor sign-in is off; once it is on (passkeys), your password (422 \`two_factor.proof_required\` without it, \`two_factor.invalid_proof\` when wrong). ${SESSION_ONLY}`,
        body: AddFactorProofBody,
        response: { 200: TotpEnrolment },
      },
      handler: async (request) => twoFactor.startOwnEnrolment(ctx, actorOf(request), request.body ?? {}),
    });
    app.post('/me/two-factor/totp/confirm', {
      config: { sessionOnly: true },
      schema: {
        tags,
        summary: `The app's current code confirms it. When this turns two-factor sign-in on, answers 10 recovery codes, shown once; when it was already on (passkeys), your recovery codes stay and none are answered. ${SESSION_ONLY}`,
        body: ConfirmTotpBody,
        response: { 200: TotpConfirmed },
      },
      handler: async (request) => {
        const recoveryCodes = await twoFactor.confirmOwnEnrolment(ctx, actorOf(request), request.body.code);
        return recoveryCodes ? { recoveryCodes } : {};
      },
    });
    app.post('/me/two-factor/recovery-codes', {
      config: { sessionOnly: true },
      schema: { tags, summary: `New recovery codes (the old ones stop working), after your password or a current code; shown once. ${SESSION_ONLY}`, body: TwoFactorProofBody, response: { 200: RecoveryCodes } },
      handler: async (request) => ({ recoveryCodes: await twoFactor.regenerateRecoveryCodes(ctx, actorOf(request), request.body) }),
    });
    app.delete('/me/two-factor', {
      config: { sessionOnly: true },
      schema: { tags, summary: `Turn two-factor sign-in off, after your password or a current code; 409 while the provider requires it of staff. ${SESSION_ONLY}`, body: TwoFactorProofBody, response: { 204: z.null() } },
      handler: async (request, reply) => {
        await twoFactor.disableOwnTwoFactor(ctx, actorOf(request), request.body);
        return reply.code(204).send(null);
      },
    });

    // ----- admins -----
    app.get('/users/:id/two-factor', {
      schema: { tags: ['users', ...tags], summary: "A user's two-factor sign-in (admins)", params: IdParams, response: { 200: TwoFactorStatus } },
      handler: async (request) => twoFactor.twoFactorStatusOf(ctx, actorOf(request), request.params.id),
    });
    app.delete('/users/:id/two-factor', {
      schema: {
        tags: ['users', ...tags],
        summary: "Reset a user's two-factor sign-in (admins; e.g. a lost phone): the seed and recovery codes are removed, and the user sets it up again (at sign-in, where required)",
        params: IdParams,
        response: { 204: z.null() },
      },
      handler: async (request, reply) => {
        await twoFactor.resetTwoFactor(ctx, actorOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    });
  };
}

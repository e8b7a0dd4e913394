import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SecuritySettings } from '../../../contract/settings.ts';
import type { Ctx } from '../context.ts';
import { actorOf } from '../http/authenticate.ts';
import * as settings from './settings.service.ts';

const tags = ['settings'];

export function settingsRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/settings/security', {
      schema: { tags, summary: 'Provider-wide sign-in security (admins)', response: { 200: SecuritySettings } },
      handler: async (request) => settings.getSecuritySettings(ctx, actorOf(request)),
    });
    app.put('/settings/security', {
      schema: {
        tags,
        summary: 'Change provider-wide sign-in security (admins). With `requireTwoFactorForStaff`, staff without two-factor sign-in set it up at their next password sign-in',
        body: SecuritySettings,
        response: { 200: SecuritySettings },
      },
      handler: async (request) => settings.updateSecuritySettings(ctx, actorOf(request), request.body),
    });
  };
}

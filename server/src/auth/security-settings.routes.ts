import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SecuritySettings } from '../../../contract/settings.ts';
import type { Ctx } from '../context.ts';
import { actorOf, currentSessionOf } from '../http/authenticate.ts';
import * as settings from './security-settings.service.ts';

const tags = ['settings'];

export function securitySettingsRoutes(ctx: Ctx): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/settings/security', {
      schema: { tags, summary: 'Provider-wide sign-in security (admins)', response: { 200: SecuritySettings } },
      handler: async (request) => settings.getSecuritySettings(ctx, actorOf(request)),
    });
    app.put('/settings/security', {
      schema: {
        tags,
        summary:
          'Change provider-wide sign-in security (admins). Turning `requireTwoFactorForStaff` on ends the sessions that staff without two-factor sign-in opened with a password alone (not the one making this change; single sign-on sessions stay): they set it up at their next password sign-in. The `settings.updated` event records how many sessions ended',
        body: SecuritySettings,
        response: { 200: SecuritySettings },
      },
      handler: async (request) => settings.updateSecuritySettings(ctx, actorOf(request), request.body, currentSessionOf(request)),
    });
  };
}

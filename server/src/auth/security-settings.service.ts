import type { z } from 'zod';
import type { SecuritySettings } from '../../../contract/settings.ts';
import type { Ctx } from '../context.ts';
import type { Executor } from '../db/database.ts';
import { appendEvent } from '../events/event.repository.ts';
import { diff } from '../lib/diff.ts';
import { type Actor, requireRole } from '../tenancy/scope.ts';
import * as repo from '../settings/settings.repository.ts';
import { deletePasswordOnlySessionsOfStaff } from './auth.repository.ts';

type Security = z.infer<typeof SecuritySettings>;

const SECURITY_KEY = 'security';
const SECURITY_DEFAULTS: Security = { requireTwoFactorForStaff: false };
/** Settings are one provider-wide record: its events carry this aggregate id. */
const PROVIDER_SETTINGS_ID = 0;

/** The provider-wide security settings (defaults where never set); read by sign-in, so no actor. */
export async function securitySettings(db: Executor): Promise<Security> {
  return { ...SECURITY_DEFAULTS, ...(await repo.getSetting<Partial<Security>>(db, SECURITY_KEY)) };
}

export async function getSecuritySettings(ctx: Ctx, actor: Actor): Promise<Security> {
  requireRole(actor, 'admin');
  return securitySettings(ctx.db);
}

/**
 * Changes the provider-wide security settings. Requiring two-factor sign-in of staff also ends the sessions that
 * staff without it opened with a password alone (all but `currentSession`, the admin's own of this change): else
 * they would stay signed in for up to the session lifetime; they set it up at their next sign-in.
 */
export async function updateSecuritySettings(ctx: Ctx, actor: Actor, input: Security, currentSession?: string): Promise<Security> {
  requireRole(actor, 'admin');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await securitySettings(trx);
    const after = { ...before, ...input };
    const changes = diff(before, after);
    if (changes.length > 0) {
      await repo.putSetting(trx, SECURITY_KEY, after, now, actor.userId);
      const required = !before.requireTwoFactorForStaff && after.requireTwoFactorForStaff;
      const ended = required ? { sessionsEnded: await deletePasswordOnlySessionsOfStaff(trx, currentSession) } : {};
      const payload = { key: SECURITY_KEY, changes, ...ended };
      await appendEvent(trx, { type: 'settings.updated', orgId: null, aggregateType: 'settings', aggregateId: PROVIDER_SETTINGS_ID, actorId: actor.userId, payload }, now);
    }
    return after;
  });
}

import { type Kysely, type Migration, Migrator } from 'kysely';
import * as core from './migrations/2026-11-26T00-core.ts';
import * as webApp from './migrations/2026-11-27T00-web-app.ts';
import * as autoClose from './migrations/2026-11-27T01-auto-close.ts';
import * as liveNotify from './migrations/2026-11-27T02-live-notify.ts';
import * as ftsPrefix from './migrations/2026-11-27T03-fts-prefix.ts';
import * as calendars from './migrations/2026-11-27T10-calendars.ts';
import * as sla from './migrations/2026-11-27T11-sla.ts';
import * as accountSecurity from './migrations/2026-11-29T03-account-security.ts';
import * as sso from './migrations/2026-11-29T05-sso.ts';
import * as eventOrigin from './migrations/2026-11-29T04-event-origin.ts';
import * as twoFactor from './migrations/2026-11-29T06-two-factor.ts';
import * as slaHistory from './migrations/2026-11-29T02-sla-history.ts';
import * as passkeys from './migrations/2026-11-29T10-passkeys.ts';

// Listed explicitly (not read from disk) so that the order is reviewed and bundling stays possible.
const migrations: Record<string, Migration> = {
  '2026-11-26T00-core': core,
  '2026-11-27T00-web-app': webApp,
  '2026-11-27T01-auto-close': autoClose,
  '2026-11-27T02-live-notify': liveNotify,
  '2026-11-27T03-fts-prefix': ftsPrefix,
  '2026-11-27T10-calendars': calendars,
  '2026-11-27T11-sla': sla,
  '2026-11-29T03-account-security': accountSecurity,
  '2026-11-29T05-sso': sso,
  '2026-11-29T04-event-origin': eventOrigin,
  '2026-11-29T06-two-factor': twoFactor,
  '2026-11-29T02-sla-history': slaHistory,
  '2026-11-29T10-passkeys': passkeys,
};

/** Applies every pending migration; throws on the first failure. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  // Parallel work may add a migration dated before one already applied: apply it rather than refuse to start.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}

import type { Logger } from 'pino';
import type { Db } from './db/database.ts';
import type { Clock } from './lib/clock.ts';
import { generatePassword, hashPassword } from './lib/passwords.ts';
import type { SecretBox } from './lib/secret-box.ts';
import { findProvider } from './organizations/organization.repository.ts';
import { getSetting, insertSettingIfAbsent } from './settings/settings.repository.ts';
import { countUsers } from './users/user.repository.ts';

/**
 * First start on an empty database: creates the provider organization and the admin from
 * VIGIE_ADMIN_EMAIL / VIGIE_ADMIN_PASSWORD, or generates a password and prints it once.
 */
export async function ensureFirstAdmin(
  db: Db,
  clock: Clock,
  opts: { adminEmail: string; adminPassword: string | null; providerName: string },
  log: Pick<Logger, 'info' | 'warn'>,
): Promise<void> {
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    let provider = await findProvider(trx);
    provider ??= await trx
      .insertInto('organizations')
      .values({ name: opts.providerName, code: 'PROVIDER', locale: 'en', timezone: 'UTC', maturity_level: 1, priority_matrix: null, is_provider: 1, active: 1, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    if ((await countUsers(trx)) > 0) return;
    const password = opts.adminPassword ?? generatePassword();
    await trx
      .insertInto('users')
      .values({
        email: opts.adminEmail,
        name: 'Administrator',
        role: 'admin',
        org_id: provider.id,
        org_scope: '[]',
        person_id: null,
        portal_scope: 'organization',
        locale: null,
        password_hash: await hashPassword(password),
        active: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (opts.adminPassword) {
      log.info({ email: opts.adminEmail }, 'created the first admin');
    } else {
      // Printed once, on purpose, on standard output rather than in the structured log.
      process.stdout.write(`\nVigie created the first admin:\n  e-mail:   ${opts.adminEmail}\n  password: ${password}\nKeep it now: it will not be shown again.\n\n`);
    }
  });
}

const KEY_CHECK = 'secret_key_check';

/**
 * Every node of a cluster must seal and open secrets with the same key (SSO attempts, client secrets, TOTP
 * seeds): the first start stores a value sealed with its key, and a node whose key does not open it refuses
 * to start rather than fail sign-ins later.
 */
export async function checkSecretKey(db: Db, secrets: SecretBox, clock: Clock): Promise<void> {
  await insertSettingIfAbsent(db, KEY_CHECK, secrets.seal('vigie', 'key.check'), clock.now().toISOString());
  const stored = await getSetting<string>(db, KEY_CHECK);
  let opened: string | null = null;
  try {
    opened = secrets.open(stored ?? '', 'key.check');
  } catch {
    // Another key: said below.
  }
  if (opened !== 'vigie') {
    throw new Error(
      'VIGIE_SECRET_KEY differs from the one this database was set up with: every node of a database must use the same key. ' +
        'Set VIGIE_SECRET_KEY to the key of the other nodes (or copy their <data folder>/secret.key).',
    );
  }
}

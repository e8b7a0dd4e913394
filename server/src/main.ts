import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { buildApp } from './app.ts';
import { ensureFirstAdmin } from './bootstrap.ts';
import { loadConfig } from './config.ts';
import { createDatabase } from './db/create-db.ts';
import { migrateToLatest } from './db/migrate.ts';
import { systemClock } from './lib/clock.ts';

const config = loadConfig();
const logger = pino({ level: config.logLevel });
const database = createDatabase(config.databaseUrl, { poolSize: config.dbPoolSize });
await migrateToLatest(database.db);
await ensureFirstAdmin(database.db, systemClock, config, logger);

const app = await buildApp({ database, logger, sessionDays: config.sessionDays, secureCookies: config.secureCookies });
await app.listen({ port: config.port, host: config.host });
logger.info({ role: config.role, database: database.dialect, dataDir: config.dataDir }, 'Vigie is running');

// SIGTERM/SIGINT: stop accepting, finish in-flight requests, then close the database.
closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'shutting down after an error');
  else logger.info({ signal }, 'shutting down');
  await app.close();
  await database.close();
});

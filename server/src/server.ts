import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { buildApp } from './app.ts';
import { checkSecretKey, ensureFirstAdmin } from './bootstrap.ts';
import type { Config } from './config.ts';
import { createDatabase, type Database } from './db/create-db.ts';
import { migrateToLatest } from './db/migrate.ts';
import { systemClock } from './lib/clock.ts';
import { loadSecretKey, SecretBox } from './lib/secret-box.ts';

export interface StartOptions {
  /** Runs once the database is migrated and has its first admin, before listening (the demo seeds here). */
  prepare?(database: Database, logger: Logger): Promise<void>;
}

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  logger: Logger;
  /** Stops accepting connections, finishes the requests in flight, then closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database, applies migrations, creates the first admin, listens, and shuts down gracefully
 * on SIGTERM/SIGINT. Shared by `npm start` and `npm run demo`.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = pino({ level: config.logLevel });
  const database = createDatabase(config.databaseUrl, { poolSize: config.dbPoolSize });
  try {
    await migrateToLatest(database.db);
    await ensureFirstAdmin(database.db, systemClock, config, logger);
    await checkSecretKey(database.db, new SecretBox(loadSecretKey(config.dataDir, config.secretKey)), systemClock);
  } catch (err) {
    await database.close();
    throw err;
  }
  await options.prepare?.(database, logger);

  const app = await buildApp({
    database,
    logger,
    sessionDays: config.sessionDays,
    secureCookies: config.secureCookies,
    dataDir: config.dataDir,
    attachmentMaxBytes: config.attachmentMaxBytes,
    runWorkers: config.role !== 'web',
    trustProxy: config.trustProxy,
    secretKey: config.secretKey,
    publicUrl: config.publicUrl,
  });
  await app.listen({ port: config.port, host: config.host });
  logger.info({ role: config.role, database: database.dialect, dataDir: config.dataDir }, 'Vigie is running');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      // Fastify closes the connections idle when the close starts; a keep-alive connection whose request
      // finishes during the drain would otherwise hold the exit until the client lets it go.
      const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(reaper);
      }
      await database.close();
    })());
  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, then close the database.
  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await close();
  });
  return { app, database, logger, close };
}

import { loadConfig } from '../config.ts';
import { createDatabase } from './create-db.ts';
import { migrateToLatest } from './migrate.ts';

// `npm run db:migrate`: applies pending migrations without starting the server (they also run at start).
const config = loadConfig();
const database = createDatabase(config.databaseUrl);
await migrateToLatest(database.db);
await database.close();
process.stdout.write(`Migrations applied to ${database.dialect}.\n`);

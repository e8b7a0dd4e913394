import { loadConfig } from './config.ts';
import { startServer } from './server.ts';

// `npm start`: everything else (database, migrations, first admin, graceful shutdown) is in server.ts.
await startServer(loadConfig());

import { loadConfig } from '../config.ts';
import { verifyPassword } from '../lib/passwords.ts';
import { startServer } from '../server.ts';
import { findUserByEmail } from '../users/user.repository.ts';
import { DEMO_PASSWORD } from './demo-data.ts';
import { type SeedResult, seedDemo } from './seed.ts';

// `npm run demo`: `npm start`, plus the demo data set on a database without client organizations.
// The first admin gets the shared demo password unless VIGIE_ADMIN_PASSWORD says otherwise.
const config = loadConfig({ VIGIE_ADMIN_PASSWORD: DEMO_PASSWORD, ...process.env });
let result: SeedResult | undefined;
let adminPassword: string | null = null;

const server = await startServer(config, {
  async prepare(database, logger) {
    result = await seedDemo(database, { dataDir: config.dataDir, log: (m) => logger.info(m) });
    const admin = await findUserByEmail(database.db, config.adminEmail);
    if (admin && config.adminPassword && (await verifyPassword(admin.password_hash, config.adminPassword))) adminPassword = config.adminPassword;
  },
});

const address = server.app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const lines = [
  '',
  result?.seeded
    ? `Vigie demo: ${result.incidents} incidents seeded.`
    : result?.logins.length
      ? 'Vigie demo: the demo data set is already in the database.'
      : 'Vigie demo: the database already has client organizations; no demo data was added.',
  `Sign in at http://localhost:${port}`,
  `  admin              ${config.adminEmail}  (${adminPassword ? `password ${adminPassword}` : 'the password you chose'})`,
  ...(result?.logins ?? []).map((l) => `  ${l.label.padEnd(18)} ${l.email}`),
  ...(result && result.logins.length > 0 ? [`Demo users share the password: ${DEMO_PASSWORD}`] : []),
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);

import path from 'node:path';
import { z } from 'zod';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  VIGIE_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  VIGIE_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  VIGIE_ADMIN_EMAIL: z.string().email().default('admin@vigie.local'),
  VIGIE_ADMIN_PASSWORD: z.string().min(10).optional(),
  VIGIE_PROVIDER_NAME: z.string().min(1).default('Service Desk'),
  VIGIE_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  VIGIE_SECURE_COOKIES: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  VIGIE_TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  VIGIE_DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
  VIGIE_ATTACHMENT_MAX_MB: z.coerce.number().positive().max(1024).default(20),
  VIGIE_SECRET_KEY: z.string().optional(),
  VIGIE_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Address users reach Vigie at (e.g. https://desk.example.com), for single sign-on callbacks'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = ReturnType<typeof loadConfig>;

/** Reads the environment once; throws with every invalid variable named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)) {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const roleArg = argv.indexOf('--role');
  const role = roleArg >= 0 ? z.enum(['web', 'worker', 'all']).parse(argv[roleArg + 1]) : e.VIGIE_ROLE;
  const dataDir = path.resolve(e.VIGIE_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'vigie.db')}`,
    role,
    adminEmail: e.VIGIE_ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.VIGIE_ADMIN_PASSWORD ?? null,
    providerName: e.VIGIE_PROVIDER_NAME,
    sessionDays: e.VIGIE_SESSION_DAYS,
    secureCookies: e.VIGIE_SECURE_COOKIES,
    dbPoolSize: e.VIGIE_DB_POOL,
    trustProxy: e.VIGIE_TRUST_PROXY,
    attachmentMaxBytes: Math.round(e.VIGIE_ATTACHMENT_MAX_MB * 1024 * 1024),
    secretKey: e.VIGIE_SECRET_KEY,
    publicUrl: e.VIGIE_PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
  };
}

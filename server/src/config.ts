import { isIP } from 'node:net';
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
  VIGIE_TRUST_PROXY: z.string().default('false').transform(parseTrustProxy),
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

/**
 * `VIGIE_TRUST_PROXY`: `false` (the connection's address is the client's), `true` (one proxy in front: the load
 * balancer), a number of proxies in front, or the proxies' addresses and CIDRs, comma-separated (also `loopback`,
 * `linklocal`, `uniquelocal`). X-Forwarded-For is then read from the right, past that many (or those) proxies
 * only: what a client writes further left is never taken for its address.
 */
function parseTrustProxy(raw: string, ctx: z.RefinementCtx): false | number | string[] {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === '' || value === '0') return false;
  if (value === 'true') return 1;
  if (/^\d+$/.test(value) && Number(value) <= MAX_PROXY_HOPS) return Number(value);
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const wrong = entries.filter((e) => !isProxyAddress(e));
  if (wrong.length > 0 || entries.length === 0) {
    const message = `Expected true, false, a number of proxies (at most ${MAX_PROXY_HOPS}) or proxy addresses/CIDRs separated by commas; not understood: ${wrong.join(', ') || raw}`;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
  return entries;
}

const MAX_PROXY_HOPS = 10;
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { AttachmentStorage } from './attachments/attachment-storage.ts';
import { attachmentRoutes } from './attachments/attachment.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { twoFactorRoutes } from './auth/two-factor.routes.ts';
import { passkeyRoutes } from './auth/passkey.routes.ts';
import { securitySettingsRoutes } from './auth/security-settings.routes.ts';
import type { Ctx } from './context.ts';
import type { Database } from './db/create-db.ts';
import { registerAuthentication } from './http/authenticate.ts';
import { registerCsrfCheck } from './http/csrf.ts';
import { docsPolicy, registerSecurityHeaders } from './http/security-headers.ts';
import { registerProblemHandlers } from './http/problem.ts';
import { registerRequestContext } from './http/request-context.ts';
import { requestForLog } from './http/request-log.ts';
import { registerWebApp } from './http/web-app.ts';
import { liveRoutes } from './http/live.routes.ts';
import { LiveUpdates } from './events/live-updates.ts';
import { incidentRoutes } from './incidents/incident.routes.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { loadSecretKey, SecretBox } from './lib/secret-box.ts';
import { organizationRoutes } from './organizations/organization.routes.ts';
import { personRoutes } from './people/person.routes.ts';
import { calendarRoutes } from './calendars/calendar.routes.ts';
import { slaRoutes } from './sla/sla.routes.ts';
import { subscribeSla } from './sla/sla-recompute.service.ts';
import { ssoRoutes } from './sso/sso.routes.ts';
import { savedViewRoutes } from './saved-views/saved-view.routes.ts';
import { serviceRoutes } from './services/service.routes.ts';
import { teamRoutes } from './teams/team.routes.ts';
import { userRoutes } from './users/user.routes.ts';
import { startScheduler } from './workers/scheduler.ts';

export interface AppDeps {
  database: Database;
  clock?: Clock;
  logger?: FastifyBaseLogger | boolean;
  sessionDays?: number;
  secureCookies?: boolean;
  /** Data folder for attachments (default ./data). */
  dataDir?: string;
  attachmentMaxBytes?: number;
  /** `VIGIE_SECRET_KEY`; absent, the key is read from (or generated into) the data folder. */
  secretKey?: string;
  /**
   * Which proxies in front to believe about X-Forwarded-For/-Proto/-Host (`VIGIE_TRUST_PROXY`): none (false, the
   * default), how many (`true` is one: the load balancer), or which addresses/CIDRs. Never every hop, or the
   * client would choose its own address.
   */
  trustProxy?: boolean | number | string[];
  /** Run the background jobs (nodes with role `worker` or `all`); off unless asked. */
  runWorkers?: boolean;
  /** Serve web/dist (default true; the API tests turn it off). */
  serveWebApp?: boolean;
  /** `VIGIE_PUBLIC_URL`, for the single sign-on callback; absent, derived from each request. */
  publicUrl?: string;
}

/** What use cases need, from the app's dependencies (also used by the demo seed, which runs before the app). */
export function buildCtx(deps: AppDeps): Ctx {
  // In-transaction subscriptions between modules (events/event-bus.ts); subscribing again changes nothing.
  subscribeSla();
  let secrets: SecretBox | undefined;
  return {
    db: deps.database.db,
    dialect: deps.database.dialect,
    clock: deps.clock ?? systemClock,
    sessionDays: deps.sessionDays ?? 14,
    secureCookies: deps.secureCookies ?? false,
    storage: new AttachmentStorage(deps.dataDir ?? './data'),
    attachmentMaxBytes: deps.attachmentMaxBytes ?? 20 * 1024 * 1024,
    // Read (or generated) on first use, so that code paths that never need a secret never touch the data folder.
    get secrets() {
      secrets ??= new SecretBox(loadSecretKey(deps.dataDir ?? './data', deps.secretKey));
      return secrets;
    },
  };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Fastify's `trustProxy` for a number of hops or a list of proxies. A number is given as a function: Fastify
 * takes a bare number for "trust nobody" (it cannot check the peer), and `true` would trust every hop.
 */
function trustedProxies(trust: AppDeps['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === undefined || trust === false || trust === 0) return false;
  if (Array.isArray(trust)) return trust;
  const hops = trust === true ? 1 : trust;
  return (_address, hop) => hop < hops;
}

/** Builds the HTTP application without listening; tests call `app.inject()`. */
export async function buildApp(deps: AppDeps) {
  const ctx = buildCtx(deps);
  const app = Fastify({
    loggerInstance: typeof deps.logger === 'object' ? deps.logger : undefined,
    logger: typeof deps.logger === 'boolean' ? deps.logger : undefined,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      // It lands in logs and in the audit log: only a plain id is taken, never text of the client's making.
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: trustedProxies(deps.trustProxy),
    return503OnClosing: true,
    // Each request's logger records the request through requestForLog (no query string of the SSO routes).
    childLoggerFactory: (logger, bindings, opts) => logger.child(bindings, { ...opts, serializers: { ...opts.serializers, req: requestForLog } }),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Responses are built by our own mappers in the contract's shapes: plain JSON.stringify is enough, and
  // far cheaper than re-validating every item of a list (the schemas still document the responses).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerProblemHandlers(app);
  registerRequestContext(app);
  // Before any hook that may refuse a request, so that refusals carry the headers too.
  await registerSecurityHeaders(app, { hsts: deps.secureCookies ?? false });
  registerCsrfCheck(app);
  await app.register(fastifyCookie);
  registerAuthentication(app, ctx);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Vigie API', version: '1.0.0', description: 'IT incident management for service desks and MSPs.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'vigie_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', transformStaticCSP: docsPolicy });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  const live = new LiveUpdates(ctx.db, app.log, deps.database.pool);
  app.addHook('preClose', async () => live.closeAll());

  await app.register(
    async (api) => {
      await api.register(liveRoutes(live));
      await api.register(authRoutes(ctx));
      await api.register(organizationRoutes(ctx));
      await api.register(personRoutes(ctx));
      await api.register(userRoutes(ctx));
      await api.register(teamRoutes(ctx));
      await api.register(serviceRoutes(ctx));
      await api.register(incidentRoutes(ctx));
      await api.register(attachmentRoutes(ctx));
      await api.register(savedViewRoutes(ctx));
      await api.register(calendarRoutes(ctx));
      await api.register(slaRoutes(ctx));
      await api.register(ssoRoutes(ctx, { publicUrl: deps.publicUrl }));
      await api.register(auditRoutes(ctx));
      await api.register(twoFactorRoutes(ctx));
      await api.register(passkeyRoutes(ctx, { publicUrl: deps.publicUrl }));
      await api.register(securitySettingsRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );
  if (deps.serveWebApp !== false) await registerWebApp(app);
  if (deps.runWorkers) {
    const stop = startScheduler(ctx, app.log);
    app.addHook('onClose', stop);
  }
  await app.ready();
  return app;
}

import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/** Where a change came from: the client's address (as Fastify resolves it, honouring `trustProxy`) and the request id. */
export interface RequestOrigin {
  ip: string;
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestOrigin>();

/**
 * Runs the rest of each request (hooks, body parsing, handler) inside an AsyncLocalStorage holding its
 * origin, so that the outbox records it (`appendEvent`) without every use case passing it along.
 */
export function registerRequestContext(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    storage.run({ ip: request.ip, requestId: request.id }, done);
  });
}

/** The origin of the request being served, or null (background workers, the demo seed). */
export function currentOrigin(): RequestOrigin | null {
  return storage.getStore() ?? null;
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { LiveUpdates } from '../events/live-updates.ts';
import { actorOf } from './authenticate.ts';

const HEARTBEAT_MS = 20_000;

/** `GET /api/v1/live`: a Server-Sent Events stream of changes the signed-in user may see. */
export function liveRoutes(live: LiveUpdates): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/live', {
      schema: { tags: ['live'], summary: 'Server-Sent Events: `change` events with {type, incidentId}; refetch what changed' },
      handler: async (request, reply) => {
        const actor = actorOf(request);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'x-request-id': request.id,
        });
        res.write('retry: 2000\n: connected\n\n');
        const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
        const unsubscribe = live.subscribe(
          actor,
          (m) => res.write(`id: ${m.id}\nevent: change\ndata: ${JSON.stringify(m)}\n\n`),
          () => {
            clearInterval(heartbeat);
            res.end();
          },
        );
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
        });
      },
    });
  };
}

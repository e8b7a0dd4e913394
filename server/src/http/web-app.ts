import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem.ts';
import { styleNonce } from './security-headers.ts';

const DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/**
 * Serves the built web app (web/dist) and answers index.html for client-side routes, with the style nonce of
 * the response's Content-Security-Policy. Hashed assets are cached for a year; the page is never stored (its nonce is new on every response).
 */
export async function registerWebApp(app: FastifyInstance, dist = DIST): Promise<void> {
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) {
    app.log.warn({ dist }, 'web app not built: run `npm run build` to serve the UI');
    return;
  }
  const html = fs.readFileSync(index, 'utf8');
  await app.register(fastifyStatic, {
    root: dist,
    wildcard: false,
    index: false,
    // index.html (and its compressed copies) only through the route below, with the nonce: never raw.
    globIgnore: ['index.html', 'index.html.*'],
    // scripts/build-web.mjs writes .br and .gz copies: sent to browsers that accept them.
    preCompressed: true,
    setHeaders(reply, filePath) {
      reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    if (request.url.startsWith('/api/')) return sendProblem(reply, 404, `No route for GET ${request.url.split('?')[0]}`, 'route_not_found');
    // web/vite.config.ts writes this placeholder where the page needs its nonce (`html.cspNonce`).
    // no-store: the page carries this response's nonce, which a cached copy must not reuse.
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html.replaceAll('VIGIE_CSP_NONCE', styleNonce(reply)));
  });
}

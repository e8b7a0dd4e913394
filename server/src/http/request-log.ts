import type { FastifyRequest } from 'fastify';

/** Paths whose query strings carry personal data or credentials: e-mail addresses, authorization codes, states. */
const UNLOGGED_QUERIES = ['/api/v1/auth/sso/'];

/**
 * The request as Fastify's request log records it (same fields as its default serializer), without the
 * query string of the single sign-on routes. Other requests are logged whole.
 */
export function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: urlForLog(request.url),
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

export function urlForLog(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const path = url.slice(0, q);
  return UNLOGGED_QUERIES.some((prefix) => path.startsWith(prefix)) ? path : url;
}

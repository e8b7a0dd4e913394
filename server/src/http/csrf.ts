import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerTokenOf } from './authenticate.ts';
import { AppError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: a browser attaches the session cookie to a form or fetch sent from any page, and
 * SameSite=Lax still lets another port or subdomain of the same site through. So every state-changing request
 * (multipart uploads and sign-in included) must come from Vigie's own pages, as the browser itself reports it:
 * `Sec-Fetch-Site: same-origin` (or `none`, typed by the user), else an `Origin` equal to this server's origin.
 * A request with a non-blank Bearer token is authenticated by that token, never by the cookie: it carries no
 * ambient credential and is exempt (a blank one is not: the cookie would count). One with neither header (curl,
 * scripts, old browsers on same-origin forms) is let through, as those can only come from outside a browser page.
 */
export function registerCsrfCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (bearerTokenOf(request) !== undefined) return;
    const verdict = crossOriginVerdict(request);
    if (verdict) throw new AppError('csrf.origin', 403, `Refused: this request was sent from ${verdict}, not from Vigie's own pages. Reload Vigie and try again from there.`);
  });
}

/** Why the request is cross-origin (for the message), or null when it may proceed. */
function crossOriginVerdict(request: Pick<FastifyRequest, 'headers' | 'protocol' | 'host'>): string | null {
  const site = header(request, 'sec-fetch-site');
  if (site !== undefined) {
    if (site === 'same-origin' || site === 'none') return null;
    return site === 'same-site' ? 'another page of the same site' : 'another site';
  }
  const origin = header(request, 'origin');
  if (origin === undefined) return null;
  const own = originOf(`${request.protocol}://${request.host}`);
  return own !== null && originOf(origin) === own ? null : `another origin (${origin.slice(0, 100)})`;
}

/**
 * Scheme, host and port, normalized (lower case, default port dropped); null for `null` or anything unparsable.
 * For this server's own origin, `request.protocol` and `request.host` follow X-Forwarded-Proto and X-Forwarded-Host
 * only when the app trusts its proxy (`trustProxy`), never on a direct connection.
 */
function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

function header(request: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

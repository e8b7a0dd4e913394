import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';

const STYLE_NONCE = Symbol('vigie.styleNonce');
type WithNonce = ServerResponse & { [STYLE_NONCE]?: string };

/**
 * Security headers on every response — API, web app, errors, 404s, downloads — through @fastify/helmet, whose
 * `onRequest` hook must run before any hook that can refuse a request (CSRF, authentication): register it first.
 *
 * The Content-Security-Policy allows nothing inline: scripts only from this origin; styles from this origin plus
 * the `<style>` elements Mantine writes at run time (theme variables, responsive props), which carry a nonce
 * drawn for each response and handed to the page by `web-app.ts` (see `styleNonce`). Style attributes set by
 * React go through the CSSOM, which CSP does not govern, so `'unsafe-inline'` is never needed. Downloads keep
 * their own stricter policy (`default-src 'none'; sandbox`).
 */
export async function registerSecurityHeaders(app: FastifyInstance, opts: { hsts: boolean }): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", (_req, res) => `'nonce-${drawStyleNonce(res as WithNonce)}'`],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Browsers ignore HSTS over plain HTTP; sent when Vigie is told it is served over HTTPS (secure cookies).
    strictTransportSecurity: opts.hsts ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
}

// The one inline style of the API docs (@fastify/swagger-ui): the <style> of Swagger's logo. Admitted by its
// hash; should a new version change it, only the logo's colours go, and e2e/security-headers.spec.ts says so.
const SWAGGER_LOGO_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/** The policy of the API docs pages: the same, with Swagger's logo style instead of a nonce nobody uses. */
export function docsPolicy(policy: string): string {
  return policy.replace(/'nonce-[^']*'/, SWAGGER_LOGO_STYLE);
}

/** The style nonce of this response's Content-Security-Policy, for the `<style>` elements of the page it serves. */
export function styleNonce(reply: FastifyReply): string {
  return drawStyleNonce(reply.raw as WithNonce);
}

function drawStyleNonce(res: WithNonce): string {
  res[STYLE_NONCE] ??= randomBytes(18).toString('base64');
  return res[STYLE_NONCE];
}

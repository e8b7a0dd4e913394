import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { TestIdp } from './test-idp.ts';

/**
 * Plays the browser of a single sign-on through HTTP: Vigie's start (inject), the identity provider's
 * redirects and login form (fetch with a cookie jar), up to the redirect to Vigie's callback.
 */
export interface BrowserRun {
  start: LightMyRequestResponse;
  /** The sealed attempt cookie Vigie set at the start. */
  attempt: string | undefined;
  /** Where the identity provider sent the browser back (Vigie's callback with code and state). */
  callbackUrl: URL;
}

export async function runToCallback(app: FastifyInstance, idp: TestIdp, providerId: number, login: { email: string; password: string }, returnTo = '/'): Promise<BrowserRun> {
  const start = await app.inject({ url: `/api/v1/auth/sso/${providerId}/start?returnTo=${encodeURIComponent(returnTo)}` });
  if (start.statusCode !== 302) throw new Error(`start: ${start.statusCode} ${start.body}`);
  const attempt = start.cookies.find((c) => c.name === 'vigie_sso')?.value;
  const jar = new Map<string, string>();
  let url = new URL(String(start.headers.location));
  for (let hop = 0; hop < 20; hop++) {
    if (!url.href.startsWith(idp.issuer)) return { start, attempt, callbackUrl: url };
    let res = await idpFetch(url, jar);
    if (res.status === 200) {
      const html = await res.text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`Unexpected page at the identity provider: ${html.slice(0, 300)}`);
      res = await idpFetch(new URL(action, idp.issuer), jar, new URLSearchParams(login));
      if (res.status === 200) throw new Error(`The identity provider refused the login: ${(await res.text()).slice(0, 300)}`);
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`No redirect from ${url.href}: ${res.status} ${await res.text()}`);
    url = new URL(location, url);
  }
  throw new Error('Too many redirects at the identity provider');
}

/** Calls Vigie's callback as the browser would, with the attempt cookie (or another one). */
export function callback(app: FastifyInstance, url: URL, attempt: string | undefined) {
  return app.inject({ url: `${url.pathname}${url.search}`, cookies: attempt ? { vigie_sso: attempt } : {} });
}

async function idpFetch(url: URL, jar: Map<string, string>, form?: URLSearchParams) {
  const res = await fetch(url, {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    body: form?.toString(),
  });
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    const [name, value] = [pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim()];
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  return res;
}

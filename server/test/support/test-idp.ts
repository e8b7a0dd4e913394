import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1 and a random port, for the single
 * sign-on tests (API and browser): two clients (confidential and public) registered with the given
 * redirect URIs, accounts signed in through a minimal login form, consent given by the operator.
 */

export interface TestAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  password: string;
  groups?: string[];
  locale?: string;
}

export interface TestIdp {
  issuer: string;
  confidential: { clientId: string; clientSecret: string };
  public: { clientId: string };
  close(): Promise<void>;
}

export const IDP_CLIENT_SECRET = 'idp-client-secret-for-tests-0123456789';

export async function startTestIdp(opts: { redirectUris: string[]; accounts: TestAccount[] }): Promise<TestIdp> {
  let provider!: Provider;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://idp.invalid');
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    if (!match) return provider.callback()(req, res);
    interaction(req, res, Boolean(match[2])).catch((err: Error) => {
      res.statusCode = 500;
      res.end(err.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  provider = new Provider(issuer, {
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-idp', alg: 'RS256', use: 'sig' }] },
    clients: [
      { client_id: 'vigie-confidential', client_secret: IDP_CLIENT_SECRET, redirect_uris: opts.redirectUris, token_endpoint_auth_method: 'client_secret_basic' },
      { client_id: 'vigie-public', redirect_uris: opts.redirectUris, token_endpoint_auth_method: 'none' },
    ],
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'locale'], groups: ['groups'] },
    async findAccount(_ctx: unknown, sub: string) {
      const account = opts.accounts.find((a) => a.sub === sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: account.email,
          email_verified: account.emailVerified,
          name: account.name,
          ...(account.locale && { locale: account.locale }),
          ...(account.groups && { groups: account.groups }),
        }),
      };
    },
    interactions: { url: (_ctx: unknown, i: { uid: string }) => `/interaction/${i.uid}` },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    cookies: { keys: ['vigie-test-idp-cookie-key'] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    // Vigie is a first-party client here: consent is given once for everything it asks.
    async loadExistingGrant(ctx: any) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse, submitted: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== 'login') throw new Error(`Unexpected prompt ${details.prompt.name}`);
    if (!submitted) return loginForm(res, details.uid, null);
    const form = new URLSearchParams(await readBody(req));
    const account = opts.accounts.find((a) => a.email === form.get('email') && a.password === form.get('password'));
    if (!account) return loginForm(res, details.uid, 'Wrong e-mail or password');
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  }

  return {
    issuer,
    confidential: { clientId: 'vigie-confidential', clientSecret: IDP_CLIENT_SECRET },
    public: { clientId: 'vigie-public' },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function loginForm(res: http.ServerResponse, uid: string, error: string | null) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body><main>
<h1>Test identity provider</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label>IdP e-mail <input name="email" type="email" autocomplete="username"></label>
<label>IdP password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Continue to Vigie</button>
</form></main></body></html>`);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

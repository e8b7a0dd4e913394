import * as oidc from 'openid-client';
import { AppError } from '../http/errors.ts';

/**
 * The relying-party side of OpenID Connect, through openid-client (certified): discovery, the
 * authorization request with PKCE (S256), state and nonce, and the code exchange that validates the ID
 * token (signature, issuer, audience, nonce, expiry). Failures of the identity provider become
 * `sso.idp_error` with the cause kept for the log.
 */

export interface ClientSettings {
  issuer: string;
  clientId: string;
  /** Plain client secret; absent for a public client. */
  clientSecret: string | null;
}

export interface AuthorizationChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

const DISCOVERY_TTL_MS = 10 * 60_000;
const TIMEOUT_SECONDS = 10;
const discovered = new Map<string, { config: oidc.Configuration; at: number }>();

/** Fresh random state, nonce and PKCE verifier for one sign-in attempt. */
export function newChecks(): AuthorizationChecks {
  return { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
}

/** The URL of the identity provider's authorization endpoint for this attempt. */
export async function authorizationUrl(settings: ClientSettings, p: { redirectUri: string; scopes: string; checks: AuthorizationChecks; loginHint?: string }): Promise<URL> {
  const config = await configurationOf(settings);
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: p.redirectUri,
    scope: p.scopes,
    response_type: 'code',
    state: p.checks.state,
    nonce: p.checks.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(p.checks.codeVerifier),
    code_challenge_method: 'S256',
    ...(p.loginHint ? { login_hint: p.loginHint } : {}),
  });
}

/**
 * Exchanges the authorization code of the callback URL and returns the issuer and the user's claims
 * (the validated ID token's, completed by the UserInfo endpoint when the provider has one).
 */
export async function exchangeCode(settings: ClientSettings, callbackUrl: URL, checks: AuthorizationChecks): Promise<{ issuer: string; claims: Record<string, unknown> & { sub: string } }> {
  const config = await configurationOf(settings);
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    let userinfo: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint) {
      userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    }
    return { issuer: config.serverMetadata().issuer, claims: { ...userinfo, ...idClaims } };
  } catch (err) {
    throw idpError(err);
  }
}

async function configurationOf(settings: ClientSettings): Promise<oidc.Configuration> {
  const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]);
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const url = new URL(settings.issuer);
  const insecure = url.protocol === 'http:';
  let config: oidc.Configuration;
  try {
    config = await oidc.discovery(url, settings.clientId, settings.clientSecret ?? undefined, undefined, {
      timeout: TIMEOUT_SECONDS,
      // validateProvider() allows http only for an identity provider on this machine (development, tests).
      ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
  } catch (err) {
    throw idpError(err);
  }
  if (settings.clientSecret) {
    // Basic is the default of the specification; use POST only when the provider says it lacks Basic.
    const methods = config.serverMetadata().token_endpoint_auth_methods_supported;
    const basic = !methods || methods.includes('client_secret_basic');
    config = new oidc.Configuration(config.serverMetadata(), settings.clientId, settings.clientSecret, basic ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.ClientSecretPost(settings.clientSecret));
  } else {
    config = new oidc.Configuration(config.serverMetadata(), settings.clientId, undefined, oidc.None());
  }
  config.timeout = TIMEOUT_SECONDS;
  if (insecure) oidc.allowInsecureRequests(config);
  if (discovered.size > 100) discovered.clear();
  discovered.set(key, { config, at: Date.now() });
  return config;
}

function idpError(cause: unknown): AppError {
  const err = new AppError('sso.idp_error', 502, 'The identity provider could not complete the sign-in.');
  (err as Error).cause = cause;
  return err;
}

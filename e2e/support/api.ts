/** A tiny API client for setting up journeys: sign in once, then JSON calls with the session cookie. */
export async function apiSession(baseUrl: string, email: string, password: string) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`login ${email}: ${login.status}`);
  return jsonCalls(baseUrl, { cookie: login.headers.get('set-cookie')!.split(';')[0]! });
}

/**
 * The same with an API token of the user (created with a session): it outlives the user's sessions, e.g. when
 * requiring two-factor sign-in signs staff out. Account security (tokens, password, two-factor) needs a session.
 */
export async function apiToken(baseUrl: string, email: string, password: string) {
  const { token } = await (await apiSession(baseUrl, email, password))<{ token: string }>('POST', '/api-tokens', { name: 'e2e set-up' });
  return jsonCalls(baseUrl, { authorization: `Bearer ${token}` });
}

function jsonCalls(baseUrl: string, credential: Record<string, string>) {
  return async function call<T = any>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${baseUrl}/api/v1${url}`, {
      method,
      headers: { ...credential, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const data = res.status === 204 ? undefined : await res.json();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(data)}`);
    return data as T;
  };
}

export type Api = Awaited<ReturnType<typeof apiSession>>;

/** Two client organizations (one French, one English) with a requester each, and an agent per language. */
export async function seedJourneyData(admin: Api) {
  const password = 'journey-password-123';
  const fr = await admin('POST', '/organizations', { name: 'Clinique du Lac', code: 'LAC', locale: 'fr', timezone: 'Europe/Paris', maturityLevel: 2 });
  const en = await admin('POST', '/organizations', { name: 'Harbour Logistics', code: 'HARB', locale: 'en', timezone: 'Europe/London', maturityLevel: 2 });
  const users = {
    requesterFr: await admin('POST', '/users', { email: 'camille@lac.test', name: 'Camille Martin', role: 'requester', orgId: fr.id, locale: 'fr', password }),
    requesterEn: await admin('POST', '/users', { email: 'olivia@harbour.test', name: 'Olivia Brown', role: 'requester', orgId: en.id, locale: 'en', password }),
    agentEn: await admin('POST', '/users', { email: 'sam@desk.test', name: 'Sam Taylor', role: 'agent', locale: 'en', password }),
    agentFr: await admin('POST', '/users', { email: 'julie@desk.test', name: 'Julie Bernard', role: 'agent', locale: 'fr', password }),
  };
  return { password, orgs: { fr, en }, users };
}

import { insertApiToken } from '../src/auth/auth.repository.ts';
import { newSecret } from '../src/lib/passwords.ts';
import { client, type Client, type TestApp } from './test-app.ts';

let seq = 0;
const next = () => `${process.pid}-${++seq}`;

/** Real rows through the API (as the admin); API tokens are written directly to skip password hashing. */
export function factories(t: TestApp) {
  const admin = client(t.app, t.adminToken);

  async function tokenFor(userId: number): Promise<string> {
    const s = newSecret('vigie');
    await insertApiToken(t.database.db, { userId, name: 'test', hash: s.hash, at: new Date().toISOString() });
    return s.secret;
  }

  return {
    admin,
    async organization(fields: Record<string, unknown> = {}) {
      const n = next();
      const res = await admin.post('/api/v1/organizations', { name: `Org ${n}`, code: `O${n}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 30), locale: 'fr', timezone: 'Europe/Paris', maturityLevel: 2, ...fields });
      if (res.status !== 201) throw new Error(`organization: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: number; code: string; name: string };
    },
    async person(orgId: number, fields: Record<string, unknown> = {}) {
      const n = next();
      const res = await admin.post('/api/v1/people', { orgId, name: `Person ${n}`, email: `person${n}@example.test`, ...fields });
      if (res.status !== 201) throw new Error(`person: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: number; orgId: number; name: string };
    },
    /** A user with an API token; `as` is a client authenticated as that user. */
    async user(role: 'requester' | 'agent' | 'manager' | 'admin', fields: Record<string, unknown> = {}): Promise<{ id: number; name: string; personId: number | null; orgId: number | null; token: string; as: Client }> {
      const n = next();
      const res = await admin.post('/api/v1/users', { email: `${role}${n}@example.test`, name: `${role} ${n}`, role, ...fields });
      if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
      const token = await tokenFor(res.body.id);
      return { ...res.body, token, as: client(t.app, token) };
    },
    async team(memberIds: number[] = []) {
      const res = await admin.post('/api/v1/teams', { name: `Team ${next()}`, memberIds });
      if (res.status !== 201) throw new Error(`team: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: number; memberIds: number[] };
    },
    async service() {
      const res = await admin.post('/api/v1/services', { name: `Service ${next()}` });
      if (res.status !== 201) throw new Error(`service: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: number };
    },
    async incident(as: Client, fields: Record<string, unknown>) {
      const res = await as.post('/api/v1/incidents', { title: `Incident ${next()}`, description: 'Something is broken', ...fields });
      if (res.status !== 201) throw new Error(`incident: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: number; ref: string; status: string; orgId: number; priority: number };
    },
  };
}

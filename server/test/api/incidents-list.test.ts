import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentSort } from '../../../contract/incidents.ts';
import { factories } from '../factories.ts';
import { type Client, DIALECTS, startTestApp, type TestApp, testClock } from '../test-app.ts';

const CHANNELS = ['portal', 'email', 'phone', 'api', 'monitoring'] as const;
const SORTS: IncidentSort[] = ['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'priority', '-priority', 'reportedAt', '-reportedAt'];

// Lists: filters, full-text search, sorting and keyset cursor pagination, checked against a model of
// every incident read back one by one.
describe.each(DIALECTS)('incidents: lists on %s', (dialect) => {
  const clock = testClock('2026-03-01T08:00:00.000Z');
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: Client;
  let orgA: { id: number };
  let orgB: { id: number };
  let orgSearch: { id: number };
  let teamOne: { id: number };
  let teamTwo: { id: number };
  let agentOne: Awaited<ReturnType<ReturnType<typeof factories>['user']>>;
  let agentTwo: typeof agentOne;
  let requester: typeof agentOne;
  let all: Incident[] = [];
  const search: Record<string, Incident> = {};

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
    admin = f.admin;
    orgA = await f.organization();
    orgB = await f.organization();
    orgSearch = await f.organization();
    agentOne = await f.user('agent');
    agentTwo = await f.user('agent');
    requester = await f.user('requester', { orgId: orgA.id });
    teamOne = await f.team([agentOne.id]);
    teamTwo = await f.team([agentTwo.id]);

    const ids: number[] = [];
    for (let i = 0; i < 60; i++) {
      // Every third incident shares its creation time with the previous one: ties are broken by id.
      if (i % 3 !== 2) clock.advance(60_000);
      const assignment = [{ teamId: teamOne.id, agentId: agentOne.id }, { teamId: teamTwo.id }, { agentId: agentTwo.id }, {}][i % 4];
      const as = i % 10 === 7 ? requester.as : admin;
      const inc = await f.incident(as, {
        ...(as === admin && { orgId: i % 2 ? orgA.id : orgB.id, ...assignment }),
        channel: as === admin ? CHANNELS[i % 5] : 'email',
        impact: (i % 3) + 1,
        urgency: (i % 4) + 1,
        reportedAt: new Date(clock.now().getTime() - ((i * 7) % 13) * 3_600_000).toISOString(),
      });
      ids.push(inc.id);
    }
    // Move some along the lifecycle, at later times, so that updatedAt differs from createdAt.
    for (const [n, id] of ids.entries()) {
      clock.advance(1_000);
      if (n % 5 === 0) await admin.post(`/api/v1/incidents/${id}/transitions`, { to: 'resolved', resolutionCode: 'fixed', resolution: 'Done' });
      if (n % 5 === 1) await agentOne.as.post(`/api/v1/incidents/${id}/transitions`, { to: 'in_progress' });
      if (n % 15 === 2) await admin.patch(`/api/v1/incidents/${id}`, { priority: 1, priorityReason: 'VIP' });
    }

    clock.advance(60_000);
    const texts: Record<string, [string, string]> = {
      accented: ['Écran noir au démarrage', 'Le poste ne s’allume plus'],
      plain: ['ecran fissure', 'the screen is cracked'],
      inDescription: ['Poste lent', 'Depuis ce matin l’écran clignote'],
      printer: ['Imprimante bloquée', 'Bourrage papier au 3e étage'],
      network: ['Réseau lent', 'Wi-Fi saturé en salle Zéphyr'],
    };
    for (const [key, [title, description]] of Object.entries(texts)) {
      search[key] = (await admin.post('/api/v1/incidents', { orgId: orgSearch.id, title, description })).body;
    }
    all = [];
    const maxId = Math.max(...Object.values(search).map((i) => i.id));
    for (let id = 1; id <= maxId; id++) {
      const res = await admin.get(`/api/v1/incidents/${id}`);
      if (res.status === 200) all.push(res.body);
    }
  });
  afterAll(() => t?.close());

  /** Walks every page of a list; fails on a repeated id. */
  async function walk(as: Client, query: string, limit: number) {
    const items: Incident[] = [];
    let cursor: string | null = null as string | null;
    let pages = 0;
    do {
      const res: { status: number; body: any } = await as.get(`/api/v1/incidents?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      if (res.body.nextCursor) expect(res.body.items).toHaveLength(limit);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(cursor).toBeNull();
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    return { items, pages };
  }

  /** The order of a sort: the sort column, then id, in the same direction. */
  function sorted(list: Incident[], sort: IncidentSort) {
    const desc = sort.startsWith('-');
    const field = sort.replace('-', '') as 'createdAt' | 'updatedAt' | 'priority' | 'reportedAt';
    return [...list].sort((a, b) => {
      const x = a[field];
      const y = b[field];
      const c = x < y ? -1 : x > y ? 1 : a.id - b.id;
      return desc ? -c : c;
    });
  }
  const ids = (list: Incident[]) => list.map((i) => i.id);
  /** Keeps the model in step with incidents a test adds or edits. */
  const track = async (id: number) => {
    const fresh = (await admin.get(`/api/v1/incidents/${id}`)).body as Incident;
    all = [...all.filter((i) => i.id !== id), fresh];
  };
  const list = async (as: Client, query: string) => {
    const res = await as.get(`/api/v1/incidents?${query}&limit=200`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.items as Incident[];
  };

  it('has a varied data set to list', () => {
    expect(all).toHaveLength(65);
    expect(new Set(all.map((i) => i.status))).toEqual(new Set(['new', 'assigned', 'in_progress', 'resolved']));
    expect(new Set(all.map((i) => i.priority))).toEqual(new Set([1, 2, 3, 4]));
  });

  describe('filters', () => {
    const cases: [string, string, (i: Incident) => boolean][] = [
      ['status', 'status=new', (i) => i.status === 'new'],
      ['several statuses (csv)', 'status=new,resolved', (i) => ['new', 'resolved'].includes(i.status)],
      ['several statuses (repeated)', 'status=assigned&status=in_progress', (i) => ['assigned', 'in_progress'].includes(i.status)],
      ['priority', 'priority=1', (i) => i.priority === 1],
      ['priorities', 'priority=2,4', (i) => [2, 4].includes(i.priority)],
      ['channel', 'channel=monitoring', (i) => i.channel === 'monitoring'],
      ['channels', 'channel=email,phone', (i) => ['email', 'phone'].includes(i.channel)],
      ['unassigned', 'unassigned=true', (i) => i.agentId === null],
      ['assigned to someone', 'unassigned=false', (i) => i.agentId !== null],
      ['combined', 'status=new,assigned&priority=3,4&channel=api,portal,email', (i) => ['new', 'assigned'].includes(i.status) && [3, 4].includes(i.priority) && ['api', 'portal', 'email'].includes(i.channel)],
    ];

    it.each(cases)('filters by %s', async (_name, query, predicate) => {
      const expected = all.filter(predicate);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      expect(ids(await list(admin, query))).toEqual(ids(sorted(expected, '-createdAt')));
    });

    it('filters by organization, team and agent', async () => {
      const byOrg = await list(admin, `orgId=${orgA.id}`);
      expect(ids(byOrg)).toEqual(ids(sorted(all.filter((i) => i.orgId === orgA.id), '-createdAt')));
      expect(byOrg.length).toBeGreaterThan(0);
      const byOrgs = await list(admin, `orgId=${orgA.id},${orgSearch.id}`);
      expect(ids(byOrgs)).toEqual(ids(sorted(all.filter((i) => [orgA.id, orgSearch.id].includes(i.orgId)), '-createdAt')));
      const byTeam = await list(admin, `teamId=${teamOne.id}`);
      expect(byTeam.length).toBeGreaterThan(0);
      expect(ids(byTeam)).toEqual(ids(sorted(all.filter((i) => i.teamId === teamOne.id), '-createdAt')));
      const byAgent = await list(admin, `agentId=${agentOne.id}`);
      expect(ids(byAgent)).toEqual(ids(sorted(all.filter((i) => i.agentId === agentOne.id), '-createdAt')));
      // agentOne took some incidents nobody had, so there are more than those assigned at creation.
      expect(byAgent.length).toBeGreaterThan(byTeam.length);
      const combined = await list(admin, `orgId=${orgB.id}&agentId=${agentTwo.id}&status=assigned`);
      expect(ids(combined)).toEqual(ids(sorted(all.filter((i) => i.orgId === orgB.id && i.agentId === agentTwo.id && i.status === 'assigned'), '-createdAt')));
    });

    it('filters by caller', async () => {
      const mine = await list(admin, `callerId=${requester.personId}`);
      expect(mine).toHaveLength(6);
      expect(mine.every((i) => i.callerId === requester.personId)).toBe(true);
    });

    it('filters by creation range: from inclusive, to exclusive', async () => {
      const times = [...new Set(all.map((i) => i.createdAt))].sort();
      const from = times[5]!;
      const to = times[15]!;
      const res = await list(admin, `createdFrom=${from}&createdTo=${to}`);
      const expected = all.filter((i) => i.createdAt >= from && i.createdAt < to);
      expect(ids(res)).toEqual(ids(sorted(expected, '-createdAt')));
      expect(res.some((i) => i.createdAt === from)).toBe(true);
      expect(res.some((i) => i.createdAt === to)).toBe(false);
      // With an offset, the same instant.
      const paris = new Date(new Date(from).getTime() + 3_600_000).toISOString().replace('.000Z', '+01:00');
      expect(ids(await list(admin, `createdFrom=${encodeURIComponent(paris)}&createdTo=${to}`))).toEqual(ids(res));
      expect(await list(admin, `createdFrom=2030-01-01T00:00:00Z`)).toEqual([]);
      expect((await admin.get('/api/v1/incidents?createdFrom=yesterday')).status).toBe(400);
    });

    it('refuses unknown filter values with 400 problem+json', async () => {
      for (const query of ['status=open', 'priority=5', 'channel=fax', 'unassigned=maybe', 'orgId=abc', 'sort=title']) {
        const res = await admin.get(`/api/v1/incidents?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
    });

    it('lists only what the actor may see', async () => {
      const mine = await list(requester.as, '');
      expect(ids(mine)).toEqual(ids(sorted(all.filter((i) => i.createdById === requester.id), '-createdAt')));
      expect(mine.length).toBe(6);
      expect(mine.every((i) => i.orgId === orgA.id && i.callerId === requester.personId)).toBe(true);
      const scoped = await f.user('agent', { orgScope: [orgB.id] });
      const theirs = await list(scoped.as, '');
      expect(ids(theirs)).toEqual(ids(sorted(all.filter((i) => i.orgId === orgB.id), '-createdAt')));
      // A filter on a foreign organization does not widen the scope.
      expect(await list(scoped.as, `orgId=${orgA.id}`)).toEqual([]);
      expect(await list(requester.as, `orgId=${orgB.id}`)).toEqual([]);
    });
  });

  describe('full-text search', () => {
    const found = async (q: string, as: Client = admin) => ids(await list(as, `q=${encodeURIComponent(q)}`)).sort((a, b) => a - b);
    const of = (...keys: string[]) => keys.map((k) => search[k]!.id).sort((a, b) => a - b);

    it('finds « ecran » and « écran » alike, in titles and descriptions, whatever the case', async () => {
      const both = of('accented', 'plain', 'inDescription');
      expect(await found('écran')).toEqual(both);
      expect(await found('ecran')).toEqual(both);
      expect(await found('ÉCRAN')).toEqual(both);
      expect(await found('Ecran')).toEqual(both);
    });

    it('matches word prefixes', async () => {
      expect(await found('écr')).toEqual(of('accented', 'plain', 'inDescription'));
      expect(await found('imprim')).toEqual(of('printer'));
      expect(await found('zeph')).toEqual(of('network'));
      expect(await found('bloque')).toEqual(of('printer'));
    });

    it('requires every word', async () => {
      expect(await found('écran noir')).toEqual(of('accented'));
      expect(await found('lent reseau')).toEqual(of('network'));
      expect(await found('lent')).toEqual(of('inDescription', 'network'));
      expect(await found('écran imprimante')).toEqual([]);
    });

    it('finds nothing for an unknown word or punctuation only', async () => {
      expect(await found('xylophone')).toEqual([]);
      expect(await found('!!! ???')).toEqual([]);
    });

    it('finds an incident by its reference', async () => {
      const target = search.printer!;
      expect(await found(target.ref)).toEqual([target.id]);
      expect(await found(target.ref.toLowerCase())).toEqual([target.id]);
      expect(await found(`I-${target.id}`)).toEqual([target.id]);
    });

    it('follows title and description edits', async () => {
      const inc = await f.incident(admin, { orgId: orgSearch.id, title: 'Souris cassée', description: 'molette' });
      expect(await found('souris')).toEqual([inc.id]);
      await admin.patch(`/api/v1/incidents/${inc.id}`, { title: 'Clavier cassé' });
      expect(await found('souris')).toEqual([]);
      expect(await found('clavier molette')).toEqual([inc.id]);
      await admin.patch(`/api/v1/incidents/${inc.id}`, { description: 'touche Échap' });
      expect(await found('molette')).toEqual([]);
      expect(await found('echap')).toEqual([inc.id]);
      await track(inc.id);
    });

    it('combines with filters and the actor’s scope', async () => {
      expect(await found('écran', admin)).toHaveLength(3);
      expect(ids(await list(admin, `q=ecran&orgId=${orgA.id}`))).toEqual([]);
      expect(await found('écran', requester.as)).toEqual([]);
      const own = await f.incident(requester.as, { title: 'Mon écran est flou' });
      expect(await found('ecran', requester.as)).toEqual([own.id]);
      await track(own.id);
    });
  });

  describe('sorting and pagination', () => {
    it.each(SORTS)('walks every page sorted by %s without duplicates or gaps', async (sort) => {
      const { items, pages } = await walk(admin, `sort=${sort}&orgId=${orgA.id},${orgB.id}`, 7);
      const expected = sorted(all.filter((i) => i.orgId !== orgSearch.id), sort);
      expect(pages).toBe(Math.ceil(expected.length / 7));
      expect(ids(items)).toEqual(ids(expected));
    });

    it('sorts by -createdAt by default, ties broken by id', async () => {
      const res = await admin.get('/api/v1/incidents');
      expect(res.status).toBe(200);
      expect(ids(res.body.items)).toEqual(ids(sorted(all, '-createdAt')).slice(0, 50));
    });

    it('pages with filters', async () => {
      const { items } = await walk(admin, 'status=new,assigned&sort=priority', 4);
      expect(ids(items)).toEqual(ids(sorted(all.filter((i) => ['new', 'assigned'].includes(i.status)), 'priority')));
    });

    it('gives no empty last page when the rows end a page exactly', async () => {
      const count = all.filter((i) => i.orgId === orgB.id).length;
      const first = await admin.get(`/api/v1/incidents?orgId=${orgB.id}&limit=${count}`);
      expect(first.body.items).toHaveLength(count);
      expect(first.body.nextCursor).toBeNull();
      const half = await admin.get(`/api/v1/incidents?orgId=${orgB.id}&limit=${count / 2}`);
      const rest = await admin.get(`/api/v1/incidents?orgId=${orgB.id}&limit=${count / 2}&cursor=${half.body.nextCursor}`);
      expect(rest.body.items).toHaveLength(count / 2);
      expect(rest.body.nextCursor).toBeNull();
    });

    it('defaults limit to 50 and caps it at 200', async () => {
      const byDefault = await admin.get('/api/v1/incidents');
      expect(byDefault.body.items).toHaveLength(50);
      expect(byDefault.body.nextCursor).toEqual(expect.any(String));
      const max = await admin.get('/api/v1/incidents?limit=200');
      expect(max.status).toBe(200);
      expect(max.body.items.length).toBeGreaterThanOrEqual(65);
      expect(max.body.nextCursor).toBeNull();
      for (const limit of ['201', '0', '-1', 'ten']) {
        const res = await admin.get(`/api/v1/incidents?limit=${limit}`);
        expect(res.status, limit).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['limit']);
      }
    });

    it('answers an invalid cursor with a 4xx problem, never a 500', async () => {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const createdCursor = (await admin.get('/api/v1/incidents?limit=2')).body.nextCursor as string;
      const priorityCursor = (await admin.get('/api/v1/incidents?limit=2&sort=priority')).body.nextCursor as string;
      const attempts = [
        'not-a-cursor', '%%%', b64({ a: 1 }), b64([1]), b64(['x', 'y']), b64([null, 1]),
        `${b64(['nonsense', 1])}&sort=priority`, `${b64([3, 1])}&sort=createdAt`, `${b64(['not a date', 5])}&sort=-reportedAt`,
        `${createdCursor}&sort=priority`, `${priorityCursor}&sort=-updatedAt`, 'x'.repeat(501),
      ];
      for (const cursor of attempts) {
        const res = await admin.get(`/api/v1/incidents?cursor=${cursor}`);
        expect(res.status, cursor).toBeGreaterThanOrEqual(400);
        expect(res.status, cursor).toBeLessThan(500);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    });
  });
});

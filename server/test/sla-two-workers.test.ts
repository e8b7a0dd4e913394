import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/db/create-db.ts';
import { apiToken, sleep, startServer, stopAll, testDatabase } from './server-process.ts';

/**
 * Two worker processes against one PostgreSQL: every SLA escalation (warning and breach of TTO and TTR)
 * is recorded exactly once, even when one worker is killed mid-way.
 */
const INCIDENTS = 120;
const KINDS = ['sla.tto_warning', 'sla.tto_breached', 'sla.ttr_warning', 'sla.ttr_breached'];

afterEach(stopAll);

describe.skipIf(!process.env.VIGIE_TEST_PG_URL)('SLA escalations with two workers on PostgreSQL', () => {
  it('records each escalation once', { timeout: 120_000 }, async () => {
    const target = await testDatabase('postgres');
    const web = await startServer(target, ['--role', 'web']);
    const token = await apiToken(web.base);
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${web.base}/api/v1${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json();
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const org = await call('POST', '/organizations', { name: 'Clinique des Deux Ouvriers', code: 'TWO', locale: 'fr', timezone: 'Europe/Paris', maturityLevel: 2 });
    const calendar = await call('POST', '/calendars', { name: '24/7', timezone: 'UTC', hours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' })) });
    await call('POST', '/sla-policies', { name: 'Short', calendarId: calendar.id, warnAtPercent: 50, targets: [{ priority: 3, ttoMinutes: 2, ttrMinutes: 4 }] });
    // Reported an hour ago: every warning and breach is already due when the workers start.
    const reportedAt = new Date(Date.now() - 3_600_000).toISOString();
    const ids: number[] = [];
    for (let i = 0; i < INCIDENTS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, INCIDENTS - i) }, (_, k) => call('POST', '/incidents', { orgId: org.id, title: `Escalade ${i + k}`, impact: 3, urgency: 3, reportedAt })),
      );
      ids.push(...batch.map((b: { id: number }) => b.id));
    }

    const db = createDatabase(target.url, { poolSize: 2 });
    try {
      const pending = async () =>
        Number((await db.db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).where('sla_next_check_at', '<=', new Date().toISOString()).executeTakeFirstOrThrow()).n);
      expect(await pending()).toBe(INCIDENTS);

      const a = await startServer(target, ['--role', 'worker']);
      const b = await startServer(target, ['--role', 'worker']);
      // One worker dies early, wherever it is; the other finishes the work.
      await sleep(300);
      a.child.kill('SIGKILL');
      const deadline = Date.now() + 60_000;
      while ((await pending()) > 0 && Date.now() < deadline) await sleep(250);
      expect(await pending()).toBe(0);
      b.child.kill('SIGTERM');

      const events = await db.db.selectFrom('events').select(['aggregate_id', 'type']).where('type', 'like', 'sla.%').execute();
      const entries = await db.db.selectFrom('timeline_entries').select(['incident_id', 'event']).where('event', 'like', 'sla_%').execute();
      expect(events).toHaveLength(INCIDENTS * KINDS.length);
      expect(entries).toHaveLength(INCIDENTS * KINDS.length);
      for (const id of ids) {
        expect(events.filter((e) => e.aggregate_id === id).map((e) => e.type).sort()).toEqual([...KINDS].sort());
        expect(entries.filter((e) => e.incident_id === id)).toHaveLength(KINDS.length);
      }
      const flags = await db.db.selectFrom('incidents').select(['tto_warned', 'tto_breached', 'ttr_warned', 'ttr_breached']).execute();
      expect(flags.every((f) => f.tto_warned + f.tto_breached + f.ttr_warned + f.ttr_breached === 4)).toBe(true);
    } finally {
      await db.close();
    }
  });
});

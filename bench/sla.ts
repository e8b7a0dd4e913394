// SLA figures for issue 4: deadline computations per second, recomputing the SLA state of N open incidents,
// and escalation throughput. SQLite, fresh database under bench/.tmp. Run: npm run bench:sla [-- --incidents=N]
import fs from 'node:fs';
import path from 'node:path';
import { buildCtx } from '../server/src/app.ts';
import { ensureFirstAdmin } from '../server/src/bootstrap.ts';
import { createCalendar } from '../server/src/calendars/calendar.service.ts';
import { createDatabase } from '../server/src/db/create-db.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { createIncident } from '../server/src/incidents/incident.service.ts';
import { createOrganization } from '../server/src/organizations/organization.service.ts';
import { processDueEscalations } from '../server/src/sla/sla-escalation.service.ts';
import { createSlaPolicy, updateSlaPolicy } from '../server/src/sla/sla-policy.service.ts';
import { recomputeOpenIncidents } from '../server/src/sla/sla-recompute.service.ts';
import { findUserByEmail, toActor } from '../server/src/users/user.repository.ts';
import { benchDeadlines } from './business-time.ts';
import { machineInfo } from './report.ts';

const N = Number(process.argv.find((a) => a.startsWith('--incidents='))?.split('=')[1] ?? 100_000);
const DIR = path.resolve(import.meta.dirname, '.tmp');
const FILE = path.join(DIR, 'sla.db');

fs.mkdirSync(DIR, { recursive: true });
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(FILE + suffix, { force: true });
let now = new Date('2026-03-02T08:00:00.000Z');
const clock = { now: () => now };
const database = createDatabase(`sqlite:${FILE}`);
await migrateToLatest(database.db);
await ensureFirstAdmin(database.db, clock, { adminEmail: 'bench@vigie.local', adminPassword: 'bench-password-123', providerName: 'Bench' }, { info() {}, warn() {} } as never);
const ctx = buildCtx({ database, clock, dataDir: DIR });
const admin = toActor((await findUserByEmail(database.db, 'bench@vigie.local'))!);

const org = await createOrganization(ctx, admin, { name: 'Clinique Bench', code: 'BENCH', locale: 'fr', timezone: 'Europe/Paris', maturityLevel: 2, autoCloseDays: 7 });
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const calendar = await createCalendar(ctx, admin, {
  name: 'Paris',
  timezone: 'Europe/Paris',
  hours: [...weekdays('09:00', '12:00'), ...weekdays('13:00', '17:00')],
  holidays: [{ date: '2026-05-01', name: 'Fête du travail', recurring: true }],
});
const policy = await createSlaPolicy(ctx, admin, {
  name: 'Standard',
  calendarId: calendar.id,
  warnAtPercent: 75,
  pauseWhen: ['customer'],
  targets: [1, 2, 3, 4].map((priority) => ({ priority, ttoMinutes: 30 * priority, ttrMinutes: 240 * priority })),
});

// N open incidents through the domain layer, reported over four weeks.
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  now = new Date(Date.parse('2026-03-02T08:00:00.000Z') + Math.floor((i / N) * 28 * 86_400_000));
  await createIncident(ctx, admin, { orgId: org.id, title: `Incident ${i}`, description: 'Bench', impact: 1 + (i % 3), urgency: 1 + (i % 4) } as never, 'api');
}
const loadSeconds = (performance.now() - t0) / 1000;

// (a) Recompute the SLA state of every open incident after a change of targets (every row changes).
now = new Date('2026-03-30T08:00:00.000Z');
await updateSlaPolicy(ctx, admin, policy.id, { targets: [1, 2, 3, 4].map((priority) => ({ priority, ttoMinutes: 20 * priority, ttrMinutes: 300 * priority })) });
let t1 = performance.now();
const { recomputed } = await recomputeOpenIncidents(ctx, admin);
const recomputeSeconds = (performance.now() - t1) / 1000;

// (b) Escalations: two months later every warning and breach is due.
now = new Date('2026-05-30T08:00:00.000Z');
t1 = performance.now();
let escalations = 0;
for (let n; (n = await processDueEscalations(ctx)) > 0; ) escalations += n;
const escalationSeconds = (performance.now() - t1) / 1000;
await database.close();

// (c) Deadline computations.
const deadlines = benchDeadlines();

const m = machineInfo();
const perMinute = (escalations / escalationSeconds) * 60;
const section = `<!-- sla:start -->
## SLAs (issue 4)

Written by \`npm run bench:sla\` (bench/sla.ts) on SQLite, fresh database, everything through the domain layer.

- **Date:** ${new Date().toISOString()}
- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM; ${m.os}; Node ${m.node}

| measure | result | target | met? |
|---|---:|---|---|
| deadline computations (targets up to one month, Paris calendar with lunch break and holidays) | ${Math.round(deadlines.perSecond).toLocaleString('en')}/s | ≥ 200,000/s | ${deadlines.perSecond >= 200_000 ? '✅' : '❌'} |
| recompute the SLA state of ${recomputed.toLocaleString('en')} open incidents after a change of targets | ${recomputeSeconds.toFixed(1)} s | < 10 s for 100,000 | ${recomputeSeconds < 10 && recomputed >= 100_000 ? '✅' : recomputed < 100_000 ? 'n/a (fewer incidents)' : '❌'} |
| escalation worker: ${escalations.toLocaleString('en')} escalations recorded | ${Math.round(perMinute).toLocaleString('en')}/min (${escalationSeconds.toFixed(1)} s) | keeps up with 1,000 breaches/min | ${perMinute >= 1000 ? '✅' : '❌'} |

Loading the ${N.toLocaleString('en')} incidents (with their SLA state computed at creation) took ${loadSeconds.toFixed(1)} s.
Each escalation is its own row lock, timeline entry and outbox event; the worker runs every 10 s.
<!-- sla:end -->`;
const resultsFile = path.resolve(import.meta.dirname, 'RESULTS.md');
const current = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '# Vigie benchmark results\n';
const next = /<!-- sla:start -->[\s\S]*<!-- sla:end -->/.test(current) ? current.replace(/<!-- sla:start -->[\s\S]*<!-- sla:end -->/, section) : `${current.trimEnd()}\n\n${section}\n`;
fs.writeFileSync(resultsFile, next);
process.stdout.write(`${section}\n`);

import type { FastifyBaseLogger } from 'fastify';
import type { Ctx } from '../context.ts';
import { purgeExpiredSessions } from '../auth/session.service.ts';
import { autoCloseResolved } from '../incidents/incident-auto-close.service.ts';
import { processDueEscalations } from '../sla/sla-escalation.service.ts';
import { recomputeStaleIncidents } from '../sla/sla-recompute.service.ts';

interface Job {
  name: string;
  everyMs: number;
  run(ctx: Ctx): Promise<number>;
}

/** Background jobs of nodes started with role `worker` or `all`. Each job is safe to run on several nodes at once. */
export const JOBS: Job[] = [
  // Escalations are written within 10 s of their instant (the issue asks for 30 s).
  { name: 'SLA escalations', everyMs: 10_000, run: processDueEscalations },
  { name: 'auto-close resolved incidents', everyMs: 60_000, run: autoCloseResolved },
  // After an upgrade, open incidents' SLA state from their history (nothing to do afterwards: one indexed look).
  { name: 'SLA state after upgrade', everyMs: 60_000, run: recomputeStaleIncidents },
  { name: 'expired sessions', everyMs: 3_600_000, run: purgeExpiredSessions },
];

/** Runs every job on its interval (never two runs of one job at once on a node); returns a stop function. */
export function startScheduler(ctx: Ctx, log: FastifyBaseLogger, jobs: Job[] = JOBS): () => Promise<void> {
  const running = new Map<string, Promise<void>>();
  const timers = jobs.map((job) => {
    const tick = () => {
      if (running.has(job.name)) return;
      const p = job
        .run(ctx)
        .then((n) => {
          if (n > 0) log.info({ job: job.name, count: n }, 'job done');
        })
        .catch((err: unknown) => log.error({ err, job: job.name }, 'job failed; it runs again at its next interval'))
        .finally(() => running.delete(job.name));
      running.set(job.name, p);
    };
    setImmediate(tick);
    return setInterval(tick, job.everyMs);
  });
  return async () => {
    timers.forEach(clearInterval);
    await Promise.all(running.values());
  };
}

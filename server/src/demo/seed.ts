import { CreateUserBody, CreateOrganizationBody, CreatePersonBody, CreateServiceBody, CreateTeamBody, OrganizationListQuery, UpdateOrganizationBody } from '../../../contract/directory.ts';
import type { Locale } from '../../../contract/common.ts';
import {
  type Channel, CreateCommentBody, CreateIncidentBody, type PendingReason, type ResolutionCode, TransitionBody, UpdateIncidentBody,
} from '../../../contract/incidents.ts';
import { CreateCalendarBody } from '../../../contract/calendars.ts';
import { CreateSlaPolicyBody } from '../../../contract/sla.ts';
import { buildCtx } from '../app.ts';
import { createCalendar } from '../calendars/calendar.service.ts';
import type { Ctx } from '../context.ts';
import type { Database } from '../db/create-db.ts';
import { addComment } from '../incidents/incident-comment.service.ts';
import { incidentRef } from '../incidents/incident.mapper.ts';
import { autoCloseResolved } from '../incidents/incident-auto-close.service.ts';
import { createIncident, updateIncident } from '../incidents/incident.service.ts';
import { transitionIncident } from '../incidents/incident-transition.service.ts';
import { computePriority } from '../incidents/priority.ts';
import type { Clock } from '../lib/clock.ts';
import { foldText } from '../lib/text.ts';
import { findProvider } from '../organizations/organization.repository.ts';
import { createOrganization, listOrganizations, updateOrganization } from '../organizations/organization.service.ts';
import { createPerson } from '../people/person.service.ts';
import { createService } from '../services/service.service.ts';
import { processDueEscalations } from '../sla/sla-escalation.service.ts';
import { createSlaPolicy } from '../sla/sla-policy.service.ts';
import { recomputeOpenIncidents } from '../sla/sla-recompute.service.ts';
import { createTeam } from '../teams/team.service.ts';
import type { Actor } from '../tenancy/scope.ts';
import { findUserByEmail, listUsers, toActor } from '../users/user.repository.ts';
import { createUser } from '../users/user.service.ts';
import {
  CALENDARS, type CalendarKey, DEMO_LOGINS, DEMO_PASSWORD, type DemoOrganization, type DemoStaff, type IncidentTemplate, MAJOR_INCIDENTS, type MajorIncident, ORGANIZATIONS,
  type OrgKey, PHRASES, PROVIDER, SERVICES, SLA_POLICIES, STAFF, TEAMS, type TeamKey, TEMPLATES,
} from './demo-data.ts';

export interface SeedOptions {
  /** The demo's "now": incidents are spread over the eight weeks before it (default: the real now). */
  now?: Date;
  /** PRNG seed; the same seed gives the same data set. */
  seed?: number;
  /** How many incidents in all, major incidents and their children included (default 300). */
  incidents?: number;
  password?: string;
  /** The data folder (for attachments; the demo adds none). */
  dataDir?: string;
  log?(message: string): void;
}

export interface DemoLogin {
  label: string;
  email: string;
}

export interface SeedResult {
  /** False when the database already had client organizations: nothing was added. */
  seeded: boolean;
  incidents: number;
  logins: DemoLogin[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Resolved incidents close by themselves after this long (the organizations' default `autoCloseDays`). */
const AUTO_CLOSE = 7 * DAY;

/**
 * Seeds the demo data set through the use cases (never raw SQL), so that every row, timeline entry and
 * outbox event is what the application itself would have written. Does nothing when the database
 * already has client organizations.
 *
 * @example await seedDemo(database, { now: new Date('2026-03-02T09:00:00Z') })
 */
export async function seedDemo(database: Database, options: SeedOptions = {}): Promise<SeedResult> {
  const now = (options.now ?? new Date()).getTime();
  const clock = movableClock(now - 62 * DAY);
  const ctx = buildCtx({ database, clock, dataDir: options.dataDir });
  const bootstrap: Actor = { userId: 0, role: 'admin', name: 'demo', orgId: null, personId: null, orgScope: [], portalScope: 'own', locale: null };
  const [adminRow] = await listUsers(ctx.db, bootstrap, { limit: 1, role: 'admin', active: true });
  const provider = await findProvider(ctx.db);
  if (!adminRow || !provider) throw new Error('The demo needs the first admin: start the server once, or call ensureFirstAdmin first');
  const admin = toActor(adminRow);

  const orgs = await listOrganizations(ctx, admin, OrganizationListQuery.parse({ limit: 200 }));
  if (orgs.items.some((o) => !o.isProvider)) {
    return { seeded: false, incidents: 0, logins: await existingLogins(ctx) };
  }

  const started = Date.now();
  const rand = mulberry32(options.seed ?? 20260302);
  const password = options.password ?? DEMO_PASSWORD;
  options.log?.('Seeding the demo data set…');
  const world = await seedDirectory(ctx, clock, rand, admin, provider.id, password);
  const plans = new Planner(world, rand, now, options.incidents ?? 300).plan();
  const steps = [...plans.flatMap((p) => p.steps), ...slaAdoption(world, now)].sort((a, b) => a.at - b.at || a.order - b.order);
  for (const step of steps) {
    clock.set(step.at);
    try {
      // The escalation worker, as time passes: warnings and breaches are recorded when they fall due.
      await processDueEscalations(ctx);
      await step.run();
    } catch (err) {
      throw new Error(`Demo seed failed at "${step.label}" (${new Date(step.at).toISOString()}): ${(err as Error).message}`, { cause: err });
    }
  }
  clock.set(now);
  await processDueEscalations(ctx);
  const incidents = plans.filter((p) => p.id !== undefined).length;
  options.log?.(`Demo data set ready: ${incidents} incidents, ${steps.length} changes, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { seeded: true, incidents, logins: await existingLogins(ctx) };
}

// ---------------------------------------------------------------------------------------------------------
// Directory: provider, organizations, people, staff, teams, services, requester logins

interface SeededOrg {
  def: DemoOrganization;
  id: number;
  people: { id: number; name: string; requester: Actor | null }[];
}

interface SeededStaff {
  def: DemoStaff;
  actor: Actor;
}

interface World {
  ctx: Ctx;
  admin: Actor;
  orgs: Map<OrgKey, SeededOrg>;
  teams: Map<TeamKey, number>;
  services: Map<string, number>;
  staff: SeededStaff[];
  monitoring: Actor;
}

async function seedDirectory(ctx: Ctx, clock: MovableClock, rand: () => number, admin: Actor, providerId: number, password: string): Promise<World> {
  const tick = () => clock.advance(Math.round((2 + rand() * 20) * MINUTE));
  await updateOrganization(ctx, admin, providerId, UpdateOrganizationBody.parse({ name: PROVIDER.name, locale: PROVIDER.locale, timezone: PROVIDER.timezone, maturityLevel: PROVIDER.maturityLevel }));

  const orgs = new Map<OrgKey, SeededOrg>();
  for (const def of ORGANIZATIONS) {
    tick();
    const maturityLevel = def.maturedDaysAgo ? 1 : def.maturityLevel;
    const org = await createOrganization(ctx, admin, CreateOrganizationBody.parse({ name: def.name, code: def.code, locale: def.locale, timezone: def.timezone, maturityLevel }));
    orgs.set(def.key, { def, id: org.id, people: [] });
  }

  const staff: SeededStaff[] = [];
  for (const def of STAFF) {
    tick();
    const user = await createUser(ctx, admin, CreateUserBody.parse({
      email: emailOf(def.name, PROVIDER.domain),
      name: def.name,
      role: def.role,
      orgId: providerId,
      orgScope: def.scope.map((k) => orgs.get(k)!.id),
      locale: def.locale,
      ...(!def.serviceAccount && { password }),
    }));
    staff.push({ def, actor: actorOf(user) });
  }

  const teams = new Map<TeamKey, number>();
  for (const def of TEAMS) {
    tick();
    const memberIds = staff.filter((s) => s.def.teams.includes(def.key)).map((s) => s.actor.userId);
    const team = await createTeam(ctx, admin, CreateTeamBody.parse({ name: def.name, description: def.description, memberIds }));
    teams.set(def.key, team.id);
  }

  const services = new Map<string, number>();
  for (const def of SERVICES) {
    tick();
    const service = await createService(ctx, admin, CreateServiceBody.parse({ name: def.name, description: def.description }));
    services.set(def.key, service.id);
  }

  for (const org of orgs.values()) {
    for (const [i, [name, login, locale]] of org.def.people.entries()) {
      tick();
      const personLocale: Locale = locale ?? org.def.locale;
      const person = await createPerson(ctx, admin, CreatePersonBody.parse({ orgId: org.id, name, email: emailOf(name, org.def.domain), phone: org.def.phone(i), locale: personLocale }));
      let requester: Actor | null = null;
      if (login) {
        const user = await createUser(ctx, admin, CreateUserBody.parse({
          email: person.email!,
          name,
          role: 'requester',
          orgId: org.id,
          personId: person.id,
          portalScope: login === 'org-login' ? 'organization' : 'own',
          locale: personLocale,
          password,
        }));
        requester = actorOf(user);
      }
      org.people.push({ id: person.id, name, requester });
    }
  }
  const monitoring = staff.find((s) => s.def.serviceAccount)!.actor;
  return { ctx, admin, orgs, teams, services, staff, monitoring };
}

/**
 * SLAs adopted partway through the history: the provider sets up calendars and policies and applies them to
 * the incidents open then, and a client reaching maturity level 2 gets them for its open incidents. Steps run
 * before office hours, before any incident step of the same instant.
 */
function slaAdoption(w: World, now: number): Step[] {
  const calendars = new Map<CalendarKey, number>();
  const calendarId = async (key: CalendarKey) => {
    const def = CALENDARS.find((c) => c.key === key)!;
    if (!calendars.has(key)) calendars.set(key, (await createCalendar(w.ctx, w.admin, CreateCalendarBody.parse({ name: def.name, timezone: def.timezone, hours: def.hours, holidays: def.holidays }))).id);
    return calendars.get(key)!;
  };
  const steps: Step[] = SLA_POLICIES.map((p, i) => ({
    at: localTime(now - p.daysAgo * DAY, 7, 30, PROVIDER.timezone),
    order: -1 - i,
    label: `SLA policy ${p.name}`,
    run: async () => {
      const orgId = p.org ? w.orgs.get(p.org)!.id : null;
      await createSlaPolicy(w.ctx, w.admin, CreateSlaPolicyBody.parse({ name: p.name, orgId, calendarId: await calendarId(p.calendar), targets: p.targets, pauseWhen: p.pauseWhen }));
      await recomputeOpenIncidents(w.ctx, w.admin);
    },
  }));
  for (const org of w.orgs.values()) {
    if (!org.def.maturedDaysAgo) continue;
    steps.push({
      at: localTime(now - org.def.maturedDaysAgo * DAY, 7, 45, org.def.timezone),
      order: -100,
      label: `${org.def.code} reaches maturity ${org.def.maturityLevel}`,
      run: () => updateOrganization(w.ctx, w.admin, org.id, UpdateOrganizationBody.parse({ maturityLevel: org.def.maturityLevel })),
    });
  }
  return steps;
}

async function existingLogins(ctx: Ctx): Promise<DemoLogin[]> {
  const wanted: DemoLogin[] = [
    { label: 'manager', email: emailOf(DEMO_LOGINS.manager, PROVIDER.domain) },
    { label: 'agent', email: emailOf(DEMO_LOGINS.agent, PROVIDER.domain) },
    { label: 'requester (fr)', email: emailOf(DEMO_LOGINS.requesterFr, ORGANIZATIONS[0]!.domain) },
    { label: 'requester (fr-CA)', email: emailOf(DEMO_LOGINS.requesterQc, ORGANIZATIONS[1]!.domain) },
    { label: 'requester (en)', email: emailOf(DEMO_LOGINS.requesterEn, ORGANIZATIONS[2]!.domain) },
  ];
  const found = await Promise.all(wanted.map((l) => findUserByEmail(ctx.db, l.email)));
  return wanted.filter((_, i) => found[i]);
}

// ---------------------------------------------------------------------------------------------------------
// Incidents: each one is planned as a list of timed steps; all steps of all incidents then run in time
// order, so that references, timestamps and outbox events read like a real history.

interface Step {
  at: number;
  order: number;
  label: string;
  run(): Promise<unknown>;
}

interface IncidentPlan {
  org: SeededOrg;
  id?: number;
  steps: Step[];
}

type FinalState = 'new' | 'assigned' | 'in_progress' | 'pending' | 'resolved' | 'closed';

// Decks rather than dice, so that every reason and code shows up whatever the size of the data set.
const PENDING_DECK: PendingReason[] = ['customer', 'vendor', 'change', 'customer', 'other', 'vendor', 'customer'];
const RESOLUTION_DECK: ResolutionCode[] = ['fixed', 'fixed', 'workaround', 'fixed', 'user_error', 'no_fault_found', 'fixed', 'duplicate', 'workaround', 'fixed', 'other', 'fixed'];
const CHANNEL_WEIGHTS: [Channel, number][] = [['portal', 36], ['email', 28], ['phone', 27], ['api', 9]];

class Planner {
  private order = 0;
  /** Holds that last (the incident is still pending), and holds that were lifted. */
  private readonly pendingCount = { held: 0, lifted: 0 };
  private resolutionCount = 0;
  /** Latest incident created per organization, for duplicates. */
  private readonly latest = new Map<OrgKey, number>();
  private readonly ctx: Ctx;
  /** Nothing may happen later than this. */
  private readonly limit: number;

  constructor(
    private readonly w: World,
    private readonly rand: () => number,
    private readonly now: number,
    private readonly total: number,
  ) {
    this.ctx = w.ctx;
    this.limit = now - 2 * MINUTE;
  }

  plan(): IncidentPlan[] {
    const plans: IncidentPlan[] = [];
    const majors = MAJOR_INCIDENTS.map((m) => this.major(m));
    const inMajors = MAJOR_INCIDENTS.reduce((n, m) => n + 1 + m.childTitles.length, 0);
    const orgs = [...this.w.orgs.values()];
    const totalWeight = orgs.reduce((n, o) => n + o.def.weight, 0);
    for (let i = 0; i < Math.max(0, this.total - inMajors); i++) {
      let r = this.rand() * totalWeight;
      const org = orgs.find((o) => (r -= o.def.weight) < 0) ?? orgs[0]!;
      plans.push(this.incident(org));
    }
    return [...plans, ...majors.flat()];
  }

  /** One ordinary incident, from its report to its final state. */
  private incident(org: SeededOrg): IncidentPlan {
    const rand = this.rand;
    const locale = org.def.locale;
    const text = textFor(org.def);
    const phrases = PHRASES[locale];
    const templates = TEMPLATES[locale].filter((t) => !t.orgs || t.orgs.includes(org.def.key));
    const tpl = pick(rand, templates);
    const place = pick(rand, org.def.places);
    const channel: Channel = tpl.monitoring && rand() < 0.8 ? 'monitoring' : weighted(rand, CHANNEL_WEIGHTS);
    const ageDays = rand() < 0.22 ? rand() * 3 : 3 + rand() * 53;
    const createdAt = this.businessTime(org.def, ageDays, channel === 'monitoring');
    const state = finalState(rand, ageDays);
    // Templates describe the bad case; most reports touch fewer people and can wait a little longer.
    const impact = clampImpact(tpl.impact + (rand() < 0.45 ? 1 : 0));
    const u = rand();
    const urgency = clampUrgency(tpl.urgency + (u < 0.08 ? -1 : u < 0.4 ? 1 : 0));
    const priority = computePriority(impact, urgency, null);

    // Who reports it, and through which door.
    const desk = pick(rand, this.eligible('desk', org.def.key));
    const withLogin = org.people.filter((p) => p.requester);
    let caller = channel === 'monitoring' ? null : pick(rand, channel === 'portal' ? withLogin : org.people);
    const byRequester = channel === 'portal' || ((channel === 'email' || channel === 'api') && caller?.requester != null && rand() < 0.6);
    if (channel === 'api' && !byRequester) caller = null;
    const creator = channel === 'monitoring' ? this.w.monitoring : byRequester ? caller!.requester! : desk;
    const requester = caller?.requester ?? null;
    const reportedBefore = channel === 'email' && !byRequester ? 5 + rand() * 85 : channel === 'phone' ? rand() * 8 : channel === 'monitoring' ? rand() * 2 : 0;
    const withService = rand() < 0.75;

    const team = tpl.team;
    const agent = pick(rand, this.eligible(team, org.def.key));
    const escalate = team !== 'desk' && rand() < 0.25;
    const firstTeam: TeamKey = escalate ? 'desk' : team;
    const firstAgent = escalate ? desk : agent;
    const assignAtCreation = !byRequester && state !== 'new' && rand() < 0.35;
    const firstContact = (state === 'resolved' || state === 'closed') && !byRequester && channel !== 'monitoring' && rand() < (channel === 'phone' ? 0.45 : 0.1);

    const plan: IncidentPlan = { org, steps: [] };
    // People work office hours in the organization's time zone, except on priority 1 incidents.
    const b = new StepBuilder(this, plan, createdAt, rand, priority === 1 ? null : org.def.timezone);
    const id = () => plan.id!;

    b.now(`create ${org.def.code} ${tpl.title}`, async () => {
      const incident = await createIncident(this.ctx, creator, CreateIncidentBody.parse({
        ...(creator.role !== 'requester' && { orgId: org.id }),
        ...(caller && creator.role !== 'requester' && { callerId: caller.id }),
        title: text(tpl.title, place),
        description: text(tpl.description, place),
        channel,
        impact,
        urgency,
        ...(reportedBefore > 0 && { reportedAt: new Date(createdAt - Math.round(reportedBefore * MINUTE)).toISOString() }),
        ...(withService && { serviceId: this.w.services.get(tpl.service) }),
        ...(assignAtCreation && !firstContact && { teamId: this.w.teams.get(firstTeam), ...(rand() < 0.5 && { agentId: firstAgent.userId }) }),
      }), channel);
      plan.id = incident.id;
      this.latest.set(org.def.key, incident.id);
    });

    if (state === 'new') {
      if (requester && rand() < 0.3) {
        b.after(60, 400, 'nudge', () => this.comment(requester, id(), text(pick(rand, phrases.nudge)), 'public'));
        // The desk answers before anyone is assigned: that public reply owns the incident (TTO met).
        b.at(b.time + 20 * MINUTE, 'desk answers', () => this.comment(desk, id(), text(phrases.ack[0]!), 'public'));
      }
      return b.done(this.limit);
    }

    if (firstContact) {
      b.after(3, 20, 'first-contact resolution', () => this.resolve(desk, id(), org, tpl));
      this.close(b, plan, org, state, requester, agent);
      return b.done(this.limit);
    }

    if (!assignAtCreation) {
      const dispatcher = rand() < 0.85 ? desk : this.manager(org.def.key);
      b.after(priority === 1 ? 2 : 5, priority === 1 ? 15 : 120, 'assign', () =>
        transitionIncident(this.ctx, dispatcher, id(), TransitionBody.parse({ to: 'assigned', teamId: this.w.teams.get(firstTeam), ...(rand() < 0.6 && { agentId: firstAgent.userId }) })),
      );
    }
    if (state === 'assigned') {
      if (rand() < 0.3) b.after(10, 90, 'note', () => this.comment(firstAgent, id(), text(tpl.note ?? pick(rand, phrases.notes)), 'internal'));
      return b.done(this.limit);
    }

    const ack = rand() < 0.7 ? text(pick(rand, phrases.ack)) : undefined;
    b.after(priority === 1 ? 3 : 10, priority === 1 ? 20 : 240, 'take', () =>
      transitionIncident(this.ctx, firstAgent, id(), TransitionBody.parse({ to: 'in_progress', agentId: firstAgent.userId, ...(ack && { comment: ack }) })),
    );
    if (rand() < 0.6) b.after(10, 120, 'note', () => this.comment(firstAgent, id(), text(tpl.note ?? pick(rand, phrases.notes)), 'internal'));
    if (escalate) {
      b.after(20, 180, 'escalate', () => updateIncident(this.ctx, desk, id(), UpdateIncidentBody.parse({ teamId: this.w.teams.get(team), agentId: agent.userId })));
      b.after(1, 5, 'escalation note', () => this.comment(desk, id(), text(phrases.notes[3]!), 'internal'));
    }
    if (rand() < 0.05) {
      const manager = this.manager(org.def.key);
      const target = Math.max(1, priority - 1);
      if (target !== priority) {
        b.after(5, 60, 'priority override', () => updateIncident(this.ctx, manager, id(), UpdateIncidentBody.parse({ priority: target, priorityReason: text(pick(rand, phrases.override)) })));
      }
    }

    if (state === 'pending') {
      this.pending(b, plan, org, agent, requester, false);
      return b.done(this.limit);
    }
    if (state === 'in_progress') {
      if (rand() < 0.3) this.pending(b, plan, org, agent, requester, true);
      if (requester && rand() < 0.35) b.after(120, 1500, 'nudge', () => this.comment(requester, id(), text(pick(rand, phrases.nudge)), 'public'));
      if (rand() < 0.1) {
        b.after(...resolveDelay(priority), 'resolve', () => this.resolve(agent, id(), org, tpl));
        this.reopen(b, plan, org, agent, requester);
      }
      return b.done(this.limit);
    }

    if (rand() < 0.35) this.pending(b, plan, org, agent, requester, true);
    b.after(...resolveDelay(priority), 'resolve', () => this.resolve(agent, id(), org, tpl));
    if (rand() < 0.12) {
      this.reopen(b, plan, org, agent, requester);
      b.after(60, 1440, 'resolve again', () => this.resolve(agent, id(), org, tpl, 'fixed'));
    }
    this.close(b, plan, org, state, requester, agent);
    return b.done(this.limit);
  }

  /** A major incident with child reports from several people, public updates and one resolution for all. */
  private major(m: MajorIncident): IncidentPlan[] {
    const rand = this.rand;
    const org = this.w.orgs.get(m.org)!;
    const text = textFor(org.def);
    const phrases = PHRASES[org.def.locale];
    const t0 = m.localTime ? localTime(weekday(this.now - m.daysAgo * DAY, org.def.timezone), m.localTime[0], m.localTime[1], org.def.timezone) : this.now - m.daysAgo * DAY;
    const agent = pick(rand, this.eligible(m.team, m.org));
    const desk = pick(rand, this.eligible('desk', m.org));
    const manager = this.manager(m.org);
    const parent: IncidentPlan = { org, steps: [] };
    const b = new StepBuilder(this, parent, t0, rand, null);
    const pid = () => parent.id!;

    b.now(`major ${org.def.code} ${m.title}`, async () => {
      const incident = await createIncident(this.ctx, this.w.monitoring, CreateIncidentBody.parse({
        orgId: org.id, title: text(m.title), description: text(m.description), channel: 'monitoring', impact: 1, urgency: 1,
        reportedAt: new Date(t0 - 2 * MINUTE).toISOString(), serviceId: this.w.services.get(m.service), teamId: this.w.teams.get(m.team),
      }), 'monitoring');
      parent.id = incident.id;
    });
    b.at(t0 + 6 * MINUTE, 'major take', () => transitionIncident(this.ctx, agent, pid(), TransitionBody.parse({ to: 'in_progress', agentId: agent.userId })));
    b.at(t0 + 12 * MINUTE, 'major note', () => this.comment(manager, pid(), text(phrases.notes[4]!), 'internal'));
    m.updates.forEach((u, i) => b.at(t0 + (35 + i * 75) * MINUTE, 'major update', () => this.comment(agent, pid(), text(u), 'public')));

    const children = m.childTitles.map((title, i) => {
      const child: IncidentPlan = { org, steps: [] };
      const caller = org.people[(i * 5 + 2) % org.people.length]!;
      const created = t0 + (8 + i * 12 + rand() * 8) * MINUTE;
      const cb = new StepBuilder(this, child, created, rand, null);
      const cid = () => child.id!;
      const viaPortal = caller.requester !== null;
      cb.now(`child ${title}`, async () => {
        const actor = viaPortal ? caller.requester! : desk;
        const incident = await createIncident(this.ctx, actor, CreateIncidentBody.parse({
          ...(!viaPortal && { orgId: org.id, callerId: caller.id }),
          title: text(title), description: text(title), channel: viaPortal ? 'portal' : 'phone', impact: 3, urgency: 2,
        }), viaPortal ? 'portal' : 'phone');
        child.id = incident.id;
      });
      cb.after(3, 10, 'link child', () => updateIncident(this.ctx, desk, cid(), UpdateIncidentBody.parse({ parentId: pid() })));
      cb.done(this.limit);
      return { child, caller, cb };
    });

    if (m.outcome === 'open') return [b.done(this.limit), ...children.map((c) => c.child)];

    const resolvedAt = t0 + (150 + rand() * 40) * MINUTE;
    b.at(resolvedAt, 'major resolve', () =>
      transitionIncident(this.ctx, agent, pid(), TransitionBody.parse({ to: 'resolved', resolutionCode: 'fixed', resolution: text(m.resolution) })),
    );
    if (m.outcome === 'closed') {
      b.at(resolvedAt + 2 * DAY, 'major close', () => transitionIncident(this.ctx, manager, pid(), TransitionBody.parse({ to: 'closed' })));
    }
    for (const { child, caller } of children) {
      const cb = new StepBuilder(this, child, resolvedAt, rand, null);
      if (caller.requester && (m.outcome === 'closed' || rand() < 0.5)) {
        cb.after(30, 600, 'child confirm', () =>
          transitionIncident(this.ctx, caller.requester!, child.id!, TransitionBody.parse({ to: 'closed', comment: text(pick(rand, phrases.thanks)) })),
        );
      } else if (m.outcome === 'closed') {
        this.autoClose(cb, 'child auto-close');
      }
      cb.done(this.limit);
    }
    return [b.done(this.limit), ...children.map((c) => c.child)];
  }

  /** A wait on hold; `resume` brings the incident back to work (a requester's reply does it by itself). */
  private pending(b: StepBuilder, plan: IncidentPlan, org: SeededOrg, agent: Actor, requester: Actor | null, resume: boolean) {
    const rand = this.rand;
    const text = textFor(org.def);
    const phrases = PHRASES[org.def.locale];
    const reason = PENDING_DECK[this.pendingCount[resume ? 'lifted' : 'held']++ % PENDING_DECK.length]!;
    const ask = text(pick(rand, phrases.pending[reason]));
    b.after(20, 240, `pending ${reason}`, () => transitionIncident(this.ctx, agent, plan.id!, TransitionBody.parse({ to: 'pending', pendingReason: reason, comment: ask })));
    if (!resume) return;
    const [min, max] = { customer: [60, 2880], vendor: [1440, 5760], change: [1440, 4320], other: [120, 2880] }[reason];
    if (reason === 'customer' && requester) {
      b.after(min, max, 'requester reply', () => this.comment(requester, plan.id!, text(pick(rand, phrases.customerReply)).replace('{n}', String(1000 + Math.floor(rand() * 9000))), 'public'));
    } else {
      b.after(min, max, 'resume', () => transitionIncident(this.ctx, agent, plan.id!, TransitionBody.parse({ to: 'in_progress' })));
      b.after(1, 5, 'resume note', () => this.comment(agent, plan.id!, text(phrases.resumeNote[reason]), 'internal'));
    }
  }

  private reopen(b: StepBuilder, plan: IncidentPlan, org: SeededOrg, agent: Actor, requester: Actor | null) {
    const rand = this.rand;
    const text = textFor(org.def);
    const phrases = PHRASES[org.def.locale];
    if (requester) {
      b.after(120, 4320, 'reopen', () => transitionIncident(this.ctx, requester, plan.id!, TransitionBody.parse({ to: 'in_progress', comment: text(pick(rand, phrases.reopen)) })));
    } else {
      b.after(120, 4320, 'reopen', () => transitionIncident(this.ctx, agent, plan.id!, TransitionBody.parse({ to: 'in_progress' })));
      b.after(1, 5, 'reopen note', () => this.comment(agent, plan.id!, text(pick(rand, phrases.reopenByPhone)), 'internal'));
    }
  }

  /**
   * Closed by the requester's confirmation, by the auto-close job once the organization's confirmation
   * period is over, or by the agent who had the confirmation on the phone.
   */
  private close(b: StepBuilder, plan: IncidentPlan, org: SeededOrg, state: FinalState, requester: Actor | null, agent: Actor) {
    if (state !== 'closed') return;
    const text = textFor(org.def);
    const phrases = PHRASES[org.def.locale];
    const confirm = this.rand() < 0.6;
    if (requester && confirm) {
      const thanks = text(pick(this.rand, phrases.thanks));
      b.after(60, 2880, 'confirm', () => transitionIncident(this.ctx, requester, plan.id!, TransitionBody.parse({ to: 'closed', comment: thanks })));
    } else if (b.time + AUTO_CLOSE + HOUR < this.limit) {
      this.autoClose(b, 'auto-close');
    } else {
      const confirmed = text(pick(this.rand, phrases.confirmedByPhone));
      b.after(60, 2880, 'close', () => transitionIncident(this.ctx, agent, plan.id!, TransitionBody.parse({ to: 'closed', comment: confirmed })));
    }
  }

  /** The auto-close job's run (every minute on a real server) just after the confirmation period. */
  private autoClose(b: StepBuilder, label: string) {
    b.after(AUTO_CLOSE / MINUTE + 0.1, AUTO_CLOSE / MINUTE + 1, label, () => autoCloseResolved(this.ctx), true);
  }

  private resolve(actor: Actor, id: number, org: SeededOrg, tpl: IncidentTemplate, forced?: ResolutionCode) {
    const code = forced ?? RESOLUTION_DECK[this.resolutionCount++ % RESOLUTION_DECK.length]!;
    const text = textFor(org.def);
    const phrases = PHRASES[org.def.locale].resolution;
    const original = this.latest.get(org.def.key);
    let resolution: string;
    switch (code) {
      case 'fixed':
        resolution = tpl.fix;
        break;
      case 'workaround':
        resolution = tpl.workaround ?? `${phrases.workaround} ${tpl.fix}`;
        break;
      case 'duplicate':
        resolution = original !== undefined && original !== id ? phrases.duplicate.replace('{ref}', incidentRef(original)) : phrases.other;
        break;
      case 'no_fault_found':
      case 'user_error':
      case 'other':
        resolution = phrases[code];
        break;
    }
    return transitionIncident(this.ctx, actor, id, TransitionBody.parse({ to: 'resolved', resolutionCode: code, resolution: text(resolution) }));
  }

  private comment(actor: Actor, id: number, body: string, visibility: 'public' | 'internal') {
    return addComment(this.ctx, actor, id, CreateCommentBody.parse({ body, visibility }));
  }

  /** Staff of a team who serve the organization (the scoped ones first in line half of the time). */
  private eligible(team: TeamKey, org: OrgKey): Actor[] {
    const all = this.w.staff.filter((s) => !s.def.serviceAccount && s.def.teams.includes(team) && (s.def.scope.length === 0 || s.def.scope.includes(org)));
    if (all.length === 0) throw new Error(`Demo data: nobody in team ${team} serves ${org}`);
    const dedicated = all.filter((s) => s.def.scope.length > 0);
    return (dedicated.length > 0 && this.rand() < 0.5 ? dedicated : all).map((s) => s.actor);
  }

  private manager(org: OrgKey): Actor {
    const managers = this.w.staff.filter((s) => s.def.role === 'manager' && (s.def.scope.length === 0 || s.def.scope.includes(org)));
    return pick(this.rand, managers).actor;
  }

  nextOrder() {
    return this.order++;
  }

  /** A weekday working time in the organization's time zone (any time for monitoring), before now. */
  private businessTime(org: DemoOrganization, ageDays: number, anyHour: boolean): number {
    // Always draw the same number of values, so that the data set does not depend on the day it is made.
    const [r1, r2, r3, r4] = [this.rand(), this.rand(), this.rand(), this.rand()];
    let day = this.now - ageDays * DAY;
    const weekday = localParts(day, org.timezone).weekday;
    if (!anyHour && r1 < 0.9 && (weekday === 6 || weekday === 0)) day -= (weekday === 6 ? 1 : 2) * DAY;
    const hour = anyHour ? r2 * 24 : r2 < 0.6 ? 8 + r3 * 4 : 13.5 + r3 * 4.5;
    let t = localTime(day, Math.floor(hour), Math.floor((hour % 1) * 60), org.timezone);
    if (t > this.now - 20 * MINUTE) t = this.now - (20 + r4 * 240) * MINUTE;
    return t;
  }
}

/** Appends timed steps to a plan; `done()` squeezes them before `limit` if they would run into the future. */
class StepBuilder {
  private t: number;
  private readonly start: number;

  /** When the last step was planned. */
  get time() {
    return this.t;
  }
  private readonly first: number;

  constructor(
    private readonly planner: Planner,
    private readonly plan: IncidentPlan,
    start: number,
    private readonly rand: () => number,
    /** Steps after a wait fall in this time zone's office hours; null: at any time. */
    private readonly timeZone: string | null,
  ) {
    this.t = start;
    this.start = start;
    this.first = plan.steps.length;
  }

  now(label: string, run: () => Promise<unknown>) {
    this.plan.steps.push({ at: this.t, order: this.planner.nextOrder(), label, run });
  }

  at(at: number, label: string, run: () => Promise<unknown>) {
    this.t = at;
    this.now(label, run);
  }

  /** After a random wait between `min` and `max` minutes (then the next office hours, unless `anyTime`). */
  after(min: number, max: number, label: string, run: () => Promise<unknown>, anyTime = false) {
    this.t += Math.round((min + this.rand() * (max - min)) * MINUTE);
    if (this.timeZone && !anyTime) this.t = officeHours(this.t, this.timeZone);
    this.now(label, run);
  }

  done(limit: number): IncidentPlan {
    const steps = this.plan.steps.slice(this.first);
    const last = steps.at(-1)?.at ?? this.start;
    const start = Math.min(this.start, limit - MINUTE);
    if (last > limit) {
      const factor = (limit - start) / (last - start);
      let previous = -Infinity;
      for (const step of steps) {
        step.at = Math.max(previous + 1000, Math.round(start + (step.at - start) * factor));
        previous = step.at;
      }
    }
    return this.plan;
  }
}

function finalState(rand: () => number, ageDays: number): FinalState {
  const table: [FinalState, number][] =
    ageDays < 1 ? [['new', 30], ['assigned', 22], ['in_progress', 25], ['pending', 13], ['resolved', 10]]
    : ageDays < 3 ? [['new', 8], ['assigned', 14], ['in_progress', 28], ['pending', 22], ['resolved', 28]]
    : ageDays < 7 ? [['new', 2], ['assigned', 4], ['in_progress', 10], ['pending', 12], ['resolved', 35], ['closed', 37]]
    // Older incidents left resolved have been closed by the auto-close job (7 days by default).
    : ageDays < 20 ? [['in_progress', 4], ['pending', 6], ['closed', 90]]
    : [['in_progress', 1], ['pending', 2], ['closed', 97]];
  return weighted(rand, table);
}

/** Minutes from taking an incident to resolving it, by priority. */
function resolveDelay(priority: number): [number, number] {
  return ([[30, 180], [60, 480], [120, 2160], [240, 4320]] as [number, number][])[priority - 1]!;
}

/** The organization's wording: places filled in, and Québec French where it differs. */
function textFor(org: DemoOrganization) {
  return (s: string, place = '') => {
    const filled = s.replace('{place}', place);
    if (org.key !== 'lta') return filled;
    return filled.replace(/\bd'e-mail/g, 'de courriel').replace(/\be-mail/g, 'courriel').replace(/\bdu week-end/g, 'de la fin de semaine').replace(/week-end/g, 'fin de semaine');
  };
}

function emailOf(name: string, domain: string): string {
  const [first, ...rest] = foldText(name).toLowerCase().replace(/'/g, '').split(' ');
  return `${first}.${rest.join('-')}@${domain}`;
}

function actorOf(user: { id: number; role: Actor['role']; name: string; orgId: number | null; personId: number | null; orgScope: number[]; portalScope: Actor['portalScope']; locale: string | null }): Actor {
  return { userId: user.id, role: user.role, name: user.name, orgId: user.orgId, personId: user.personId, orgScope: user.orgScope, portalScope: user.portalScope, locale: user.locale };
}

function clampImpact(n: number) {
  return Math.min(3, Math.max(1, n));
}

function clampUrgency(n: number) {
  return Math.min(4, Math.max(1, n));
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error('Demo data: nothing to pick from');
  return items[Math.floor(rand() * items.length)]!;
}

function weighted<T>(rand: () => number, table: readonly [T, number][]): T {
  let r = rand() * table.reduce((n, [, w]) => n + w, 0);
  for (const [value, w] of table) if ((r -= w) < 0) return value;
  return table.at(-1)![0];
}

/** Mulberry32: a tiny, well-mixed seeded PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface MovableClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

function movableClock(start: number): MovableClock {
  let now = start;
  return { now: () => new Date(now), set: (ms) => void (now = ms), advance: (ms) => void (now += ms) };
}

/** The same instant on the previous Friday if it falls on a weekend. */
function weekday(t: number, timeZone: string): number {
  const day = localParts(t, timeZone).weekday;
  return day === 6 ? t - DAY : day === 0 ? t - 2 * DAY : t;
}

/** `t` if it falls on a weekday between 08:00 and 18:30 local time, else early in the next working morning. */
function officeHours(t: number, timeZone: string): number {
  const p = localParts(t, timeZone);
  const minutes = p.hour * 60 + p.minute;
  if (p.weekday >= 1 && p.weekday <= 5 && minutes >= 8 * 60 && minutes < 18 * 60 + 30) return t;
  // Derived from t rather than drawn, so that the PRNG sequence does not depend on the calendar.
  const late = Math.floor((t / 7919) % 75);
  for (let k = 0; k < 4; k++) {
    const day = t + k * DAY;
    const weekday = localParts(day, timeZone).weekday;
    if (weekday === 0 || weekday === 6) continue;
    const start = localTime(day, 8, late, timeZone);
    if (start > t) return start;
  }
  return t;
}

/** The local calendar day and weekday (0 = Sunday) of an instant in a time zone. */
function localParts(ms: number, timeZone: string) {
  let format = FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    FORMATS.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!);
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), weekday };
}

const FORMATS = new Map<string, Intl.DateTimeFormat>();

/** The instant at `hour:minute` local time, on the local day of `dayMs`, in a time zone. */
function localTime(dayMs: number, hour: number, minute: number, timeZone: string): number {
  const { year, month, day } = localParts(dayMs, timeZone);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let t = wall;
  for (let i = 0; i < 2; i++) {
    const p = localParts(t, timeZone);
    t += wall - Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  }
  return t;
}

import type { z } from 'zod';
import type { CreateUserBody, UpdateUserBody, UserListQuery } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import type { Trx } from '../db/database.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError, type FieldError } from '../http/errors.ts';
import { decodeCursor, toPage } from '../lib/cursor.ts';
import { diff } from '../lib/diff.ts';
import { forgetCachedTokens } from '../auth/auth.service.ts';
import { endSessions, passwordChanged } from '../auth/session.service.ts';
import { hashPassword } from '../lib/passwords.ts';
import { getOrganization } from '../organizations/organization.repository.ts';
import { getPerson, insertPerson } from '../people/person.repository.ts';
import { type Actor, requireRole, STAFF } from '../tenancy/scope.ts';
import * as repo from './user.repository.ts';

type CreateUser = z.infer<typeof CreateUserBody>;

/** Admins create logins. A requester without a contact gets one in their organization. */
export async function createUser(ctx: Ctx, actor: Actor, input: CreateUser) {
  requireRole(actor, 'admin');
  const now = ctx.clock.now().toISOString();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return ctx.db.transaction().execute(async (trx) => {
    if (await repo.findUserByEmail(trx, input.email)) throw duplicateEmail(input.email);
    const errors = await checkUser(trx, input);
    if (errors.length > 0) throw AppError.validation(errors);
    let personId = input.personId ?? null;
    if (input.role === 'requester' && !personId) {
      const person = await insertPerson(trx, { org_id: input.orgId!, name: input.name, email: input.email, phone: null, locale: input.locale ?? null, active: 1, created_at: now, updated_at: now });
      personId = person.id;
    }
    const row = await repo.insertUser(trx, {
      email: input.email,
      name: input.name,
      role: input.role,
      org_id: input.orgId ?? null,
      org_scope: JSON.stringify(input.role === 'requester' ? [] : input.orgScope),
      person_id: personId,
      portal_scope: input.portalScope,
      locale: input.locale ?? null,
      password_hash: passwordHash,
      active: 1,
      created_at: now,
      updated_at: now,
    });
    const user = repo.toUser(row);
    await appendEvent(trx, { type: 'user.created', orgId: user.orgId, aggregateType: 'user', aggregateId: user.id, actorId: actor.userId, payload: user }, now);
    return user;
  });
}

/**
 * Admins edit anyone; every user may change their own name and language. A password is set here only for
 * someone else (an admin's reset, which ends all of that user's sessions); one's own password changes through
 * POST /me/password, which asks for the current one. A deactivation ends the user's sessions too.
 */
export async function updateUser(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof UpdateUserBody>) {
  if (!(await repo.findVisibleUser(ctx.db, actor, id))) throw AppError.notFound('User');
  assertMayEdit(actor, id, input);
  // Hashed only once allowed (it is slow on purpose), and before the transaction, which it would hold up.
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const now = ctx.clock.now().toISOString();
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findVisibleUser(trx, actor, id);
    if (!before) throw AppError.notFound('User');
    if (id === actor.userId && (input.active === false || (input.role && input.role !== before.role))) {
      throw AppError.conflict('user.self_lockout', 'You cannot deactivate yourself or change your own role.');
    }
    if (input.email && input.email !== before.email && (await repo.findUserByEmail(trx, input.email))) throw duplicateEmail(input.email);
    const merged = { ...repo.toUser(before), ...input } as CreateUser;
    const errors = await checkUser(trx, merged);
    if (errors.length > 0) throw AppError.validation(errors);
    const row = await repo.updateUser(trx, id, {
      ...(input.email !== undefined && { email: input.email }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.role !== undefined && { role: input.role }),
      ...(input.orgId !== undefined && { org_id: input.orgId }),
      ...(input.orgScope !== undefined && { org_scope: JSON.stringify(input.orgScope) }),
      ...(input.personId !== undefined && { person_id: input.personId }),
      ...(input.portalScope !== undefined && { portal_scope: input.portalScope }),
      ...(input.locale !== undefined && { locale: input.locale }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
      ...(passwordHash !== undefined && { password_hash: passwordHash }),
      updated_at: now,
    });
    const user = repo.toUser(row);
    const changes = diff(repo.toUser(before), user);
    if (passwordHash) changes.push({ field: 'password', from: '***', to: '***' });
    if (changes.length > 0) {
      await appendEvent(trx, { type: 'user.updated', orgId: user.orgId, aggregateType: 'user', aggregateId: id, actorId: actor.userId, payload: { changes } }, now);
    }
    if (passwordHash) await passwordChanged(trx, { userId: id, actorId: actor.userId }, now);
    if (input.active === false && before.active === 1) await endSessions(trx, { userId: id, actorId: actor.userId, reason: 'deactivated' }, now);
    return user;
  });
  // Cached token lookups carry the old role, scope or active flag.
  forgetCachedTokens();
  return updated;
}

/** An admin signs a user out of every session (a lost laptop); their API tokens stay. */
export async function endAllSessions(ctx: Ctx, actor: Actor, id: number) {
  requireRole(actor, 'admin');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.findVisibleUser(trx, actor, id))) throw AppError.notFound('User');
    return { sessionsEnded: await endSessions(trx, { userId: id, actorId: actor.userId, reason: 'admin' }, now) };
  });
}

export async function getUser(ctx: Ctx, actor: Actor, id: number) {
  const row = await repo.findVisibleUser(ctx.db, actor, id);
  if (!row) throw AppError.notFound('User');
  return repo.toUser(row);
}

export async function listUsers(ctx: Ctx, actor: Actor, query: z.infer<typeof UserListQuery>) {
  requireRole(actor, ...STAFF);
  const afterId = query.cursor ? Number(decodeCursor(query.cursor)[1]) : undefined;
  const rows = await repo.listUsers(ctx.db, actor, { afterId, limit: query.limit, role: query.role, orgId: query.orgId, active: query.active, q: query.q });
  return toPage(rows, query.limit, repo.toUser, (r) => [r.id, r.id]);
}

/** What the actor may change of user `id`: anything as an admin, else their own name and language only. */
function assertMayEdit(actor: Actor, id: number, input: z.infer<typeof UpdateUserBody>) {
  if (id === actor.userId && input.password !== undefined) {
    throw new AppError('user.own_password', 403, 'Change your own password from your account page (POST /api/v1/me/password): it asks for the current one.', [
      { path: 'password', message: 'Change it from your account page' },
    ]);
  }
  const selfFields = ['name', 'locale'];
  if (actor.role !== 'admin' && (id !== actor.userId || Object.keys(input).some((k) => !selfFields.includes(k)))) {
    throw AppError.forbidden('Only an admin may change this');
  }
}

async function checkUser(trx: Trx, u: Pick<CreateUser, 'role' | 'orgId' | 'orgScope' | 'personId'>): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (u.role === 'requester' && !u.orgId) errors.push({ path: 'orgId', message: 'Required for a requester' });
  if (u.orgId && !(await getOrganization(trx, u.orgId))) errors.push({ path: 'orgId', message: 'Unknown organization' });
  for (const [i, orgId] of (u.orgScope ?? []).entries()) {
    if (!(await getOrganization(trx, orgId))) errors.push({ path: `orgScope.${i}`, message: 'Unknown organization' });
  }
  if (u.personId) {
    const person = await getPerson(trx, u.personId);
    if (!person || (u.orgId && person.org_id !== u.orgId)) errors.push({ path: 'personId', message: "Unknown person in the user's organization" });
  }
  return errors;
}

function duplicateEmail(email: string) {
  return new AppError('user.duplicate_email', 409, `A user with e-mail ${email} already exists.`, [{ path: 'email', message: 'Already used' }]);
}

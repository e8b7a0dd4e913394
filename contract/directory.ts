import { z } from 'zod';
import { Id, Locale, PageQuery, QueryBoolean, Timestamp } from './common.ts';
import { Role } from './auth.ts';

const Name = z.string().trim().min(1).max(200);
const Email = z.string().trim().toLowerCase().max(320).pipe(z.email());
const Timezone = z
  .string()
  .refine((tz) => isTimeZone(tz), { message: 'Unknown IANA time zone' })
  .describe('IANA time zone, e.g. Europe/Paris');

/** impact (rows 1..3) × urgency (columns 1..4) → priority 1..4 */
export const PriorityMatrix = z
  .array(z.array(z.number().int().min(1).max(4)).length(4))
  .length(3)
  .describe('Rows are impact 1..3, columns urgency 1..4, values priority 1..4');

export const Organization = z.object({
  id: Id,
  name: z.string(),
  code: z.string(),
  locale: Locale,
  timezone: z.string(),
  maturityLevel: z.number().int(),
  priorityMatrix: PriorityMatrix.nullable(),
  autoCloseDays: z.number().int(),
  slaEnabled: z.boolean().nullable().describe('null: SLAs follow the maturity level (on from 2); true/false forces them'),
  isProvider: z.boolean(),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const CreateOrganizationBody = z.object({
  name: Name,
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'Letters, digits, - and _ only, at most 32')
    .transform((c) => c.toUpperCase()),
  locale: Locale.default('en'),
  timezone: Timezone.default('UTC'),
  maturityLevel: z.number().int().min(1).max(4).default(1),
  priorityMatrix: PriorityMatrix.nullable().optional(),
  autoCloseDays: z.number().int().min(0).max(365).default(7).describe('Resolved incidents close by themselves after this many days; 0 = never'),
  slaEnabled: z.boolean().nullable().optional().describe('Override of the maturity rule for SLAs; null follows the maturity level'),
});
// PATCH bodies drop the create defaults: an absent field stays as it is (Zod 4 applies defaults inside `.partial()`).
export const UpdateOrganizationBody = CreateOrganizationBody.extend({
  locale: CreateOrganizationBody.shape.locale.unwrap(),
  timezone: CreateOrganizationBody.shape.timezone.unwrap(),
  maturityLevel: CreateOrganizationBody.shape.maturityLevel.unwrap(),
  autoCloseDays: CreateOrganizationBody.shape.autoCloseDays.unwrap(),
})
  .partial()
  .extend({ active: z.boolean().optional() });
export const OrganizationListQuery = PageQuery.extend({
  active: QueryBoolean.optional(),
  q: z.string().trim().max(200).optional(),
});

export const Person = z.object({
  id: Id,
  orgId: Id,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  locale: Locale.nullable(),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const CreatePersonBody = z.object({
  orgId: Id,
  name: Name,
  email: Email.nullable().optional(),
  phone: z.string().trim().max(50).nullable().optional(),
  locale: Locale.nullable().optional(),
});
export const UpdatePersonBody = CreatePersonBody.omit({ orgId: true }).partial().extend({ active: z.boolean().optional() });
export const PersonListQuery = PageQuery.extend({
  orgId: Id.optional(),
  active: QueryBoolean.optional(),
  q: z.string().trim().max(200).optional().describe('Matches name, e-mail or phone'),
});

export const PortalScope = z.enum(['own', 'organization']);
export const User = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  orgId: Id.nullable(),
  orgScope: z.array(Id),
  personId: Id.nullable(),
  portalScope: PortalScope,
  locale: Locale.nullable(),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
const Password = z.string().min(10, 'At least 10 characters').max(200);
export const CreateUserBody = z.object({
  email: Email,
  name: Name,
  role: Role,
  orgId: Id.nullable().optional().describe("Requesters' organization (required for requesters)"),
  orgScope: z.array(Id).max(1000).default([]).describe('Organizations an agent serves; empty means all'),
  personId: Id.nullable().optional(),
  portalScope: PortalScope.default('own'),
  locale: Locale.nullable().optional(),
  password: Password.optional().describe('Write-only'),
});
export const UpdateUserBody = CreateUserBody.extend({
  orgScope: CreateUserBody.shape.orgScope.unwrap(),
  portalScope: CreateUserBody.shape.portalScope.unwrap(),
})
  .partial()
  .extend({ active: z.boolean().optional() });
export const UserListQuery = PageQuery.extend({
  role: Role.optional(),
  orgId: Id.optional(),
  active: QueryBoolean.optional(),
  q: z.string().trim().max(200).optional(),
});

export const Team = z.object({
  id: Id,
  name: z.string(),
  description: z.string().nullable(),
  memberIds: z.array(Id),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const CreateTeamBody = z.object({
  name: Name,
  description: z.string().trim().max(2000).nullable().optional(),
  memberIds: z.array(Id).max(500).default([]),
});
export const UpdateTeamBody = CreateTeamBody.extend({ memberIds: CreateTeamBody.shape.memberIds.unwrap() })
  .partial()
  .extend({ active: z.boolean().optional() });
export const TeamListQuery = PageQuery.extend({ active: QueryBoolean.optional() });

export const Service = z.object({
  id: Id,
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const CreateServiceBody = z.object({
  name: Name,
  description: z.string().trim().max(2000).nullable().optional(),
});
export const UpdateServiceBody = CreateServiceBody.partial().extend({ active: z.boolean().optional() });
export const ServiceListQuery = PageQuery.extend({ active: QueryBoolean.optional() });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

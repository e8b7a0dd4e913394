import { z } from 'zod';
import { Id, Locale, Timestamp, TimestampInput } from './common.ts';

export const Role = z.enum(['requester', 'agent', 'manager', 'admin']);
export type Role = z.infer<typeof Role>;

export const LoginBody = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1000),
});

export const Me = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  orgId: Id.nullable(),
  orgScope: z.array(Id),
  personId: Id.nullable(),
  locale: Locale.nullable(),
  teamIds: z.array(Id).describe('Teams the user is a member of'),
  portalScope: z.enum(['own', 'organization']).describe("Requesters: their own incidents or their organization's"),
});

export const CreateApiTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  readOnly: z.boolean().default(false).describe('Refused (403 `auth.read_only_token`) on POST, PUT, PATCH and DELETE'),
  expiresAt: TimestampInput.optional().describe('After this instant the token answers 401, like a revoked one; must be in the future'),
});
export const SavedView = z.object({
  id: Id,
  name: z.string(),
  filters: z.record(z.string(), z.string()).describe('Query-string parameters of GET /incidents'),
  createdAt: Timestamp,
});
export const CreateSavedViewBody = z.object({
  name: z.string().trim().min(1).max(100),
  filters: z.record(z.string().max(50), z.string().max(500)),
});

export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  readOnly: z.boolean(),
  expiresAt: Timestamp.nullable(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable().describe('Recorded at most once a minute'),
});
export const CreatedApiToken = ApiToken.extend({
  token: z.string().describe('Shown once; send it as `Authorization: Bearer <token>`'),
});

// ----- the signed-in user's own sessions and password -----

/** How a session was opened. */
export const SessionMethod = z.enum(['password', 'two_factor', 'sso']);
export type SessionMethod = z.infer<typeof SessionMethod>;

export const Session = z.object({
  id: z.string().describe('Opaque public id of the session (never its secret)'),
  current: z.boolean().describe('The session of this request'),
  method: SessionMethod,
  createdAt: Timestamp,
  lastSeenAt: Timestamp.describe('Recorded at most once a minute'),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export const SessionParams = z.object({ id: z.string().min(1).max(100) });

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: z.string().max(200).describe('At least 10 characters'),
});
export const ChangedPassword = z.object({ otherSessionsEnded: z.number().int() });
export const SessionsEnded = z.object({ sessionsEnded: z.number().int() });

import { z } from 'zod';
import { Id, Locale, Timestamp } from './common.ts';

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

export const CreateApiTokenBody = z.object({ name: z.string().trim().min(1).max(100) });
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
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
});
export const CreatedApiToken = ApiToken.extend({
  token: z.string().describe('Shown once; send it as `Authorization: Bearer <token>`'),
});

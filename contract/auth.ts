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
});

export const CreateApiTokenBody = z.object({ name: z.string().trim().min(1).max(100) });
export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
});
export const CreatedApiToken = ApiToken.extend({
  token: z.string().describe('Shown once; send it as `Authorization: Bearer <token>`'),
});

import { z } from 'zod';

export const SecuritySettings = z.object({
  requireTwoFactorForStaff: z.boolean().describe('Agents, managers and admins must sign in with a second factor (password sign-in; single sign-on leaves it to the identity provider)'),
});

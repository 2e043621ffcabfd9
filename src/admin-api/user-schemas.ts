import { z } from 'zod';
import type { AccountRow } from '../accounts/account-queries.js';
import { pageOf, pageQuery } from './common-schemas.js';

/** A person's account as the API shows it: never a password hash. */
export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    email_verified: z.boolean(),
    disabled: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'User' });

export const userView = (row: AccountRow): z.infer<typeof UserSchema> => ({
  id: row.id,
  email: row.email,
  name: row.name,
  email_verified: row.emailVerified,
  disabled: row.disabled,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

export const UserPageSchema = pageOf(UserSchema, 'UserPage');

export const UserIdParams = z.strictObject({ id: z.string().min(1).max(100) });

export const UserListQuery = z.strictObject({
  ...pageQuery,
  email: z.string().max(320).optional().meta({ description: 'Exact address' }),
  q: z.string().min(1).max(320).optional().meta({ description: 'Addresses starting with this' }),
  status: z.enum(['active', 'disabled']).optional(),
});

const password = z.string().min(1).max(1024);

export const NewUserBody = z
  .strictObject({
    email: z.string().min(1).max(320),
    password: password.optional().meta({
      description: 'Optional: without it nobody knows the password, and (mail on) a password link is sent',
    }),
    name: z.string().max(200).optional(),
    email_verified: z.boolean().optional(),
  })
  .meta({ id: 'NewUser' });

export const CreatedUserSchema = UserSchema.extend({
  verification_sent: z.boolean(),
  password_link_sent: z.boolean(),
}).meta({ id: 'CreatedUser' });

export const UserChangesBody = z
  .strictObject({
    name: z.string().max(200).optional(),
    email: z
      .string()
      .min(1)
      .max(320)
      .optional()
      .meta({ description: 'A new address is unverified unless email_verified is true' }),
    email_verified: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'nothing to change: give name, email or email_verified',
  })
  .meta({ id: 'UserChanges' });

export const PasswordBody = z.strictObject({ password }).meta({ id: 'NewPassword' });

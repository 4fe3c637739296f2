import type { Db } from '../db/index.js';
import { AppError } from './errors.js';

export async function createUser(db: Db, u: { email: string; name: string; passwordHash: string | null; verified: boolean }): Promise<number> {
  const email = u.email.trim().toLowerCase();
  const taken = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (taken) throw new AppError('conflict', `A user with email ${email} already exists.`);
  const row = await db
    .insertInto('users')
    .values({ email, name: u.name, password_hash: u.passwordHash, email_verified_at: u.verified ? new Date() : null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findUserId(db: Db, email: string): Promise<number> {
  const row = await db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!row) throw new AppError('not_found', `No user with email ${email}.`);
  return row.id;
}

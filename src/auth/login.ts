import type { Db } from '../db/index.js';
import { exhausted, hit, type Limit } from './rateLimit.js';
import { verifyPassword } from './passwords.js';

/** Failed sign-ins per account, and attempts per client IP, in a 15-minute window. */
const ACCOUNT_FAILURES = 5;
const IP_ATTEMPTS = 30;
const WINDOW_S = 15 * 60;

const accountLimit = (email: string): Limit => ({ bucket: `login-account:${email}`, max: ACCOUNT_FAILURES, windowSeconds: WINDOW_S });
const ipLimit = (ip: string): Limit => ({ bucket: `login-ip:${ip}`, max: IP_ATTEMPTS, windowSeconds: WINDOW_S });

export type LoginResult =
  | { ok: true; userId: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Checks an email and password, throttled per account (failures) and per IP (attempts) before any hashing,
 * so a throttled guess costs the server nothing and tells the guesser nothing.
 */
export async function checkCredentials(db: Db, input: { email: string; password: string; ip: string }, now: Date): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  for (const verdict of [await hit(db, ipLimit(input.ip), now), await exhausted(db, accountLimit(email), now)]) {
    if (!verdict.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds };
  }
  const user = await db.selectFrom('users').select(['id', 'password_hash']).where('email', '=', email).executeTakeFirst();
  // verifyPassword spends the same time on a missing account, so timing does not reveal which emails exist.
  if (await verifyPassword(input.password, user?.password_hash ?? null)) return { ok: true, userId: user!.id };
  await hit(db, accountLimit(email), now);
  return { ok: false, reason: 'invalid' };
}

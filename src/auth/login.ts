import type { Db } from '../db/index.js';
import { forgive, hit, type Limit } from './rateLimit.js';
import { verifyPassword } from './passwords.js';

/** Failed sign-ins per account and per client IP in a 15-minute window (an office NAT shares one IP). */
const ACCOUNT_FAILURES = 5;
const IP_FAILURES = 50;
const WINDOW_S = 15 * 60;

const accountLimit = (email: string): Limit => ({ bucket: `login-account:${email}`, max: ACCOUNT_FAILURES, windowSeconds: WINDOW_S });
const ipLimit = (ip: string): Limit => ({ bucket: `login-ip:${ip}`, max: IP_FAILURES, windowSeconds: WINDOW_S });

export type LoginResult =
  | { ok: true; userId: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Checks an email and password, refused before any hashing once the account or the IP has used up its
 * failures, so a throttled guess costs the server nothing and tells the guesser nothing. Each attempt is
 * counted before the check (so parallel guesses cannot all slip under the limit) and forgiven on success.
 */
export async function checkCredentials(db: Db, input: { email: string; password: string; ip: string }, now: Date): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const limits = [ipLimit(input.ip), accountLimit(email)];
  for (const limit of limits) {
    const verdict = await hit(db, limit, now);
    if (!verdict.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds };
  }
  const user = await db.selectFrom('users').select(['id', 'password_hash']).where('email', '=', email).executeTakeFirst();
  // verifyPassword spends the same time on a missing account, so timing does not reveal which emails exist.
  if (!(await verifyPassword(input.password, user?.password_hash ?? null))) return { ok: false, reason: 'invalid' };
  for (const limit of limits) await forgive(db, limit, now);
  return { ok: true, userId: user!.id };
}

import { sql } from 'kysely';
import type { Db } from '../db/index.js';

/** At most `max` hits per `windowSeconds` in one bucket (e.g. `login-ip:203.0.113.9`). */
export interface Limit {
  bucket: string;
  max: number;
  windowSeconds: number;
}

export type Verdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Fixed-window counters kept in the database, so every instance sees the same count. The upsert is atomic,
 * so racing requests cannot both slip under the limit.
 */
function windowOf(limit: Limit, now: Date) {
  const ms = limit.windowSeconds * 1000;
  const start = new Date(Math.floor(now.getTime() / ms) * ms);
  const retryAfterSeconds = Math.max(1, Math.ceil((start.getTime() + ms - now.getTime()) / 1000));
  return { start, retryAfterSeconds };
}

/** Counts one hit and says whether it was within the limit. Older windows of the bucket are dropped. */
export async function hit(db: Db, limit: Limit, now: Date): Promise<Verdict> {
  const { start, retryAfterSeconds } = windowOf(limit, now);
  await db.deleteFrom('auth_rate_limits').where('bucket', '=', limit.bucket).where('window_start', '<', start).execute();
  const { hits } = await db
    .insertInto('auth_rate_limits')
    .values({ bucket: limit.bucket, window_start: start, hits: 1 })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`auth_rate_limits.hits + 1` }))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return hits <= limit.max ? { ok: true } : { ok: false, retryAfterSeconds };
}

/** Takes back one hit of the current window: for limits that should only count failures. */
export async function forgive(db: Db, limit: Limit, now: Date): Promise<void> {
  await db
    .updateTable('auth_rate_limits')
    .set({ hits: sql`greatest(hits - 1, 0)` })
    .where('bucket', '=', limit.bucket)
    .where('window_start', '=', windowOf(limit, now).start)
    .execute();
}

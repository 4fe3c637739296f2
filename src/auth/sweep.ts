import { sql } from 'kysely';
import type { Db } from '../db/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes sign-in and OAuth records nobody can use any more, so that anonymous visits to the sign-in page
 * or abandoned authorizations cannot grow the tables without bound. Records that still tell a story keep
 * a day's margin past expiry: a late replay of a code or a rotated refresh token is still recognised (and
 * revokes its grant) until then. Settings → MCP tokens are the user's own list and are kept; expired
 * registered clients go when the next client registers (clients.ts).
 * Returns how many rows went, per table.
 */
export async function sweepExpired(db: Db, now: Date): Promise<Record<string, number>> {
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const counts = await Promise.all([
    db.deleteFrom('browser_sessions').where('expires_at', '<', now).executeTakeFirst(),
    // Codes go with their pending authorization (ON DELETE CASCADE).
    db.deleteFrom('oauth_pending_authorizations').where('expires_at', '<', dayAgo).executeTakeFirst(),
    db.deleteFrom('tokens').where('kind', '<>', sql.lit('mcp')).where('expires_at', '<', dayAgo).executeTakeFirst(),
    db.deleteFrom('auth_rate_limits').where('window_start', '<', dayAgo).executeTakeFirst(),
  ]);
  const tables = ['browser_sessions', 'oauth_pending_authorizations', 'tokens', 'auth_rate_limits'];
  return Object.fromEntries(tables.map((t, i) => [t, Number(counts[i]!.numDeletedRows)]));
}

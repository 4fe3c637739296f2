import { createHash } from 'node:crypto';
import express from 'express';
import { openPlainSql } from './plainSql.js';
import { serveBench } from './serve.js';

/**
 * Baseline 2: the data work of an authenticated list_sites done the plain way: an express route that looks
 * the bearer token's row up by hash, then selects a page of the team's sites, and answers JSON.
 */
interface TokenRow {
  expires_at: Date;
  revoked_at: Date | null;
}

await serveBench(async () => {
  const sql = await openPlainSql();
  const app = express();
  app.post('/sites', express.json(), async (req, res) => {
    const bearer = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    const hash = bearer && createHash('sha256').update(bearer).digest();
    const [token] = hash
      ? await sql.query<TokenRow>('SELECT user_id, scopes, expires_at, revoked_at FROM tokens WHERE token_hash = $1', [hash])
      : [];
    if (!token || token.revoked_at || token.expires_at <= new Date()) {
      res.status(401).json({ error: 'invalid_token' });
      return;
    }
    const { team_id: teamId, limit } = req.body as { team_id: number; limit: number };
    // One row more than the page says whether another page follows, as list_sites does.
    const rows = await sql.query('SELECT * FROM sites WHERE team_id = $1 ORDER BY id LIMIT $2', [teamId, limit + 1]);
    res.json({ sites: rows.slice(0, limit), more: rows.length > limit });
  });
  return { handler: app, close: () => sql.close() };
});

import { createHash } from 'node:crypto';
import express from 'express';
import pg from 'pg';
import { announce } from './listen.js';

/**
 * Baseline: the same data work as an authenticated list_sites, straight over pg — find the token by its
 * SHA-256, then one page of 25 sites — with no MCP, no gate and no validation.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = express();
app.use(express.json());
app.post('/sites', async (req, res) => {
  const token = (req.get('authorization') ?? '').replace(/^Bearer /, '');
  const hash = createHash('sha256').update(token).digest();
  const owner = await pool.query('SELECT user_id FROM tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()', [hash]);
  if (!owner.rowCount) return void res.status(401).json({ error: 'invalid_token' });
  const sites = await pool.query('SELECT * FROM sites WHERE team_id = $1 ORDER BY id LIMIT 26', [req.body.team_id]);
  res.json({ sites: sites.rows.slice(0, 25), next_cursor: null });
});
announce(app);

import type { Server } from 'node:http';
import { sql } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import { createApp } from './http/app.js';
import type { Logger } from './log.js';
import { seed } from './fixtures/seed.js';
import { DEMO_EMAIL, demoWorkspace } from './fixtures/demo.js';
import { createMcpToken } from './auth/tokens.js';
import { ALL_SCOPES } from './access/scopes.js';

export function listen(config: Config, database: Database, log: Logger): Promise<Server> {
  const app = createApp({ config, db: database.db, log });
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}

/**
 * On the embedded default with an empty database, load the demo workspace and tell the person at the
 * terminal how to use it. Never with DATABASE_URL: a real database is never seeded behind anyone's back.
 */
export async function seedDemoIfEmpty(config: Config, database: Database): Promise<string | null> {
  if (database.engine !== 'pglite') return null;
  const { n } = await sql<{ n: number }>`select count(*)::int as n from users`.execute(database.db).then((r) => r.rows[0]!);
  if (n > 0) return null;
  const { fixture, password } = demoWorkspace();
  const ids = await seed(database.db, fixture);
  const { secret } = await createMcpToken(database.db, { userId: ids.users[DEMO_EMAIL]!, name: 'Demo token', scopes: ALL_SCOPES });
  const entry = { mcpServers: { sitepulse: { type: 'http', url: config.resource, headers: { Authorization: `Bearer ${secret}` } } } };
  return [
    'Demo workspace loaded (embedded database, first start).',
    `  Sign in:    ${DEMO_EMAIL} / ${password}`,
    `  MCP token:  ${secret}   (all scopes, expires in six months; shown once)`,
    '  Client configuration (e.g. .mcp.json):',
    JSON.stringify(entry, null, 2).replace(/^/gm, '    '),
  ].join('\n');
}

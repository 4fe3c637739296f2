import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/index.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { seed, type Fixture, type SeedResult } from '../../src/fixtures/seed.js';
import { createMcpToken } from '../../src/auth/tokens.js';
import { freshDatabase } from './db.js';

export interface TestServer {
  url: string;
  mcpUrl: string;
  config: Config;
  database: Database;
  seed(fixture: Fixture): Promise<SeedResult>;
  /** A Settings → MCP token for the user, with the given scopes (all by default). */
  token(userId: number, scopes: string[], opts?: { expiresAt?: Date; now?: Date }): Promise<string>;
  close(): Promise<void>;
}

/** The real app on a real port of 127.0.0.1, over its own database. */
export async function startServer(env: Record<string, string> = {}, logs?: string[]): Promise<TestServer> {
  const database = await freshDatabase();
  // Pass `logs` to read what the server logged (as JSON lines).
  const log = logs ? createLogger('info', { write: (line: string) => void logs.push(line) }) : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  // The public URL is only known once the port is: bind first, then build the app with it.
  let handler: ReturnType<typeof createApp> | undefined;
  const { createServer } = await import('node:http');
  const http: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const config = loadConfig({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ALLOW_PRIVATE_TARGETS: '1', ...env });
  handler = createApp({ config, db: database.db, log });
  return {
    url: config.publicUrl,
    mcpUrl: config.resource,
    config,
    database,
    seed: (fixture) => seed(database.db, fixture),
    token: async (userId, scopes, opts = {}) =>
      (await createMcpToken(database.db, { userId, name: 'test', scopes, ...opts })).secret,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await database.close();
    },
  };
}

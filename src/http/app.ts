import express from 'express';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../log.js';
import { errorHandler } from './errors.js';
import { requestLog } from './requestLog.js';
import { mcpRoutes } from './mcpRoute.js';
import { wellKnownRoutes } from './wellKnown.js';
import { oauthRoutes } from './oauthRoutes.js';
import { authorizeRoutes } from './authorizeRoutes.js';
import { settingsRoutes } from './settingsRoutes.js';
import { browserSessions } from './browserSession.js';
import { assetRoutes } from './pages/assets.js';
import { sql } from 'kysely';

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
}

/** The whole HTTP surface. Nothing here keeps state between requests: any instance can serve any request. */
export function createApp({ config, db, log }: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLog(log));
  app.get('/healthz', async (_req, res) => {
    await sql`select 1`.execute(db);
    res.json({ ok: true });
  });
  app.use(wellKnownRoutes(config));
  const sessions = browserSessions(config, db);
  app.use(assetRoutes(), oauthRoutes(config, db), authorizeRoutes(config, db, sessions), settingsRoutes(db, sessions));
  app.use(mcpRoutes(config, db, log));
  app.use(errorHandler(log));
  return app;
}

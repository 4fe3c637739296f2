import express from 'express';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../log.js';
import { errorHandler } from './errors.js';
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
  app.use(
    pinoHttp({
      logger: log,
      // Only method, path (never the query string, which could carry a secret) and status are logged.
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
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

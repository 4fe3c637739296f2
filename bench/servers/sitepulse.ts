import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/index.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { announce } from './listen.js';

/** The real app, as `serve` runs it, logging at its default level to /dev/null-equivalent (silent). */
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const database = await openDatabase({ databaseUrl: config.databaseUrl! });
announce(createApp({ config, db: database.db, log: createLogger('silent') }));

import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/index.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { serveBench } from './serve.js';
import { POOL_SIZE, benchSource } from './source.js';

/** The real app, built as `serve` builds it, over the bench data. Its logs go to stdout, which the bench discards. */
await serveBench(async ({ port, origin }) => {
  const source = benchSource();
  const database = await openDatabase('databaseUrl' in source ? { ...source, poolSize: POOL_SIZE } : { pglite: await source.pglite() });
  const config = loadConfig({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: origin, LOG_LEVEL: process.env.BENCH_LOG_LEVEL });
  return { handler: createApp({ config, db: database.db, log: createLogger(config.logLevel) }), close: () => database.close() };
});

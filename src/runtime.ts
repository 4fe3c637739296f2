import { mkdir } from 'node:fs/promises';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/index.js';
import { migrate } from './db/migrate.js';

/** Opens the configured database (PostgreSQL, or PGlite under DATA_DIR) and brings its schema up to date. */
export async function openConfiguredDatabase(config: Config, opts: { migrate: boolean } = { migrate: true }): Promise<Database> {
  let database: Database;
  if (config.databaseUrl) database = await openDatabase({ databaseUrl: config.databaseUrl });
  else {
    await mkdir(config.dataDir, { recursive: true });
    database = await openDatabase({ dataDir: config.dataDir });
  }
  if (opts.migrate) await migrate(database);
  return database;
}

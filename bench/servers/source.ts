import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';

/**
 * How a server child reaches the bench data: the bench's PostgreSQL database, or its own in-memory copy
 * of the seeded PGlite data directory (PGlite lives inside one process, so each child loads the dump).
 */
export const SOURCE_ENV = { databaseUrl: 'BENCH_DATABASE_URL', pgliteDump: 'BENCH_PGLITE_DUMP' } as const;

export type BenchSource = { databaseUrl: string } | { pglite: () => Promise<PGlite> };

export function benchSource(): BenchSource {
  const databaseUrl = process.env[SOURCE_ENV.databaseUrl];
  if (databaseUrl) return { databaseUrl };
  const dump = process.env[SOURCE_ENV.pgliteDump];
  if (!dump) throw new Error(`Set ${SOURCE_ENV.databaseUrl} or ${SOURCE_ENV.pgliteDump}.`);
  return { pglite: async () => PGlite.create({ loadDataDir: new Blob([new Uint8Array(await readFile(dump))]) }) };
}

/** The PostgreSQL pool size of every server child: SitePulse's own default. */
export const POOL_SIZE = 10;

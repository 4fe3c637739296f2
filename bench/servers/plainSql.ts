import pg from 'pg';
import { POOL_SIZE, benchSource } from './source.js';

/** Bare driver access for the plain baseline: a `pg` pool, or PGlite's own query on the embedded engine. */
export interface PlainSql {
  query<R>(text: string, params: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export async function openPlainSql(): Promise<PlainSql> {
  const source = benchSource();
  if ('databaseUrl' in source) {
    const pool = new pg.Pool({ connectionString: source.databaseUrl, max: POOL_SIZE });
    return { query: async (text, params) => (await pool.query(text, params)).rows, close: () => pool.end() };
  }
  const lite = await source.pglite();
  return { query: async <R>(text: string, params: unknown[]) => (await lite.query<R>(text, params)).rows, close: () => lite.close() };
}

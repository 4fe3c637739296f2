import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './index.js';

/** migrations/ sits two levels above this file both in src/db and in dist/db. */
const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const LOCK_KEY = 7_465_117; // any constant: it only has to be the same for every instance

/**
 * Applies pending migrations in name order, all in one transaction (all or nothing) under an advisory lock,
 * so that several instances starting at once apply each migration exactly once. Returns the names applied.
 */
export async function migrate(database: Database): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  return database.raw(async (s) => {
    const applied: string[] = [];
    await s.exec('BEGIN');
    try {
      await s.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      await s.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set(
        (await s.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name),
      );
      for (const file of files.filter((f) => !done.has(f))) {
        await s.exec(await readFile(MIGRATIONS_DIR + file, 'utf8'));
        await s.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
        applied.push(file);
      }
      await s.exec('COMMIT');
    } catch (err) {
      await s.exec('ROLLBACK');
      throw err;
    }
    return applied;
  });
}

import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './index.js';

/** SQL texts of prepared queries → statement names, so PostgreSQL can keep their plans per connection. */
export const NAMED_STATEMENTS = new Map<string, string>();

/**
 * A hot query whose shape never changes, built and compiled by Kysely once per database instead of on
 * every call: each call only swaps in its parameters. The query is compiled with placeholder values, so
 * constants the builder turned into parameters stay where they are. On PostgreSQL it also runs as a named
 * statement (see openPostgres), so the server parses and plans it once per connection, not per request.
 */
export function prepared<P extends unknown[], R>(build: (db: Db, ...params: P) => Compilable<R>) {
  const cache = new WeakMap<Db, { compiled: CompiledQuery<R>; slots: (number | undefined)[] }>();
  return async (db: Db, ...params: P): Promise<R | undefined> => {
    let entry = cache.get(db);
    if (!entry) {
      const placeholders = params.map((_, i) => Symbol(`param ${i}`));
      const compiled = build(db, ...(placeholders as unknown as P)).compile();
      const slots = compiled.parameters.map((p) => placeholders.indexOf(p as symbol)).map((i) => (i < 0 ? undefined : i));
      entry = { compiled, slots };
      cache.set(db, entry);
      if (!NAMED_STATEMENTS.has(compiled.sql)) NAMED_STATEMENTS.set(compiled.sql, `sitepulse_${NAMED_STATEMENTS.size + 1}`);
    }
    const { compiled, slots } = entry;
    const parameters = compiled.parameters.map((p, i) => (slots[i] === undefined ? p : params[slots[i]!]));
    return (await db.executeQuery<R>({ ...compiled, parameters })).rows[0];
  };
}

import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './index.js';

/**
 * A hot query whose shape never changes, built and compiled by Kysely once per database instead of on
 * every call: each call only swaps in its parameters. The query is compiled with placeholder values, so
 * constants the builder turned into parameters stay where they are.
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
    }
    const { compiled, slots } = entry;
    const parameters = compiled.parameters.map((p, i) => (slots[i] === undefined ? p : params[slots[i]!]));
    return (await db.executeQuery<R>({ ...compiled, parameters })).rows[0];
  };
}

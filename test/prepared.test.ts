import { afterAll, beforeAll, expect, test } from 'vitest';
import { prepared } from '../src/db/prepared.js';
import type { Db } from '../src/db/index.js';
import { freshDatabase } from './support/db.js';
import type { Database } from '../src/db/index.js';

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await database.db.insertInto('plans').values({ code: 'tiny', name: 'Tiny', max_sites: 1, min_interval_s: 900, manual_runs_per_hour: 1 }).execute();
});
afterAll(() => database?.close());

// A constant the builder parameterizes ('Starter') sits between the two real parameters.
const planBy = prepared((db: Db, minSites: number, code: string) =>
  db
    .selectFrom('plans')
    .select(['code', 'name'])
    .where('max_sites', '>=', minSites)
    .where('name', '<>', 'Starter')
    .where('code', '=', code),
);

test('a prepared query swaps in each call’s parameters and keeps its constants', async () => {
  expect(await planBy(database.db, 1, 'tiny')).toEqual({ code: 'tiny', name: 'Tiny' });
  expect(await planBy(database.db, 100, 'business')).toEqual({ code: 'business', name: 'Business' });
  expect(await planBy(database.db, 1000, 'business')).toBeUndefined();
  expect(await planBy(database.db, 1, 'starter')).toBeUndefined(); // the constant still applies
});

test('timestamps read back exactly, whatever their offset or precision', async () => {
  const { parseTimestamptz } = await import('../src/db/index.js');
  const cases: [string, string][] = [
    ['2026-11-27 19:01:42.724+00', '2026-11-27T19:01:42.724Z'],
    ['2026-11-27 19:01:42+00', '2026-11-27T19:01:42.000Z'],
    ['2026-11-27 19:01:42.5+05:30', '2026-11-27T13:31:42.500Z'],
    ['2026-11-27 19:01:42.123456-08', '2026-11-28T03:01:42.123Z'],
  ];
  for (const [text, iso] of cases) expect(parseTimestamptz(text).toISOString()).toBe(iso);
  expect(parseTimestamptz('infinity')).toBe(Infinity);
  const rows = await database.raw((s) => s.query<{ t: Date }>(`SELECT timestamptz '2026-11-27 19:01:42.724+00' AS t`));
  expect(rows[0]!.t.toISOString()).toBe('2026-11-27T19:01:42.724Z');
});

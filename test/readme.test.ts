import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { CATALOGUE } from '../src/mcp/tools/index.js';
import { ALL_SCOPES } from '../src/access/scopes.js';

/** The README's tool table is documentation people act on: it must say what the catalogue does. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test('README lists every tool with its scope and permission', () => {
  const rows = new Map<string, [string, string]>();
  for (const m of readme.matchAll(/^\| `([a-z_]+)` \| ([^|]+) \| ([^|]+) \|/gm)) rows.set(m[1]!, [m[2]!.trim(), m[3]!.trim()]);
  const documented = CATALOGUE.map((t) => [t.name, rows.get(t.name)]);
  const actual = CATALOGUE.map((t) => [
    t.name,
    [t.scope ? `\`${t.scope}\`` : 'any valid token', t.permission ? `\`${t.permission}\`` : t.scope ? 'membership' : '—'],
  ]);
  expect(documented).toEqual(actual);
});

test('README names exactly the scopes there are', () => {
  const sentence = /Scopes are exactly `([^`]+)`/.exec(readme)?.[1]?.split(/\s+/);
  expect(sentence).toEqual(ALL_SCOPES);
});

#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { loadConfig, type Config } from './config.js';
import { createLogger } from './log.js';
import { openConfiguredDatabase } from './runtime.js';
import type { Database } from './db/index.js';
import { migrate } from './db/migrate.js';
import { seed } from './fixtures/seed.js';
import { listen, seedDemoIfEmpty } from './serve.js';
import { hashPassword } from './auth/passwords.js';
import { createMcpToken, listTokens, revokeToken } from './auth/tokens.js';
import { AppError } from './domain/errors.js';
import { createUser, findUserId } from './domain/users.js';
import { startCheckRunner } from './checks/index.js';

const USAGE = `Usage: sitepulse-mcp <command>
  serve [--no-worker]                     migrate, then serve HTTP and run the check runner (unless --no-worker)
  worker                                  the check runner alone, to scale out (needs DATABASE_URL)
  migrate                                 apply pending migrations
  seed FILE.json                          load a fixture; prints the ids it created
  user create --email E --name N --password P [--verified]
  token create --email E --name N --scopes a,b [--expires-at ISO]   prints the token alone
  token revoke (--id ID | --token TOKEN)
  token list --email E`;

const OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  password: { type: 'string' },
  verified: { type: 'boolean' },
  scopes: { type: 'string' },
  'expires-at': { type: 'string' },
  id: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  'no-worker': { type: 'boolean' },
} as const;

type Options = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
interface Invocation {
  config: Config;
  options: Options;
  args: string[];
}

class UsageError extends Error {}

function need<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw new UsageError(`Missing ${flag}.`);
  return value;
}

/** Runs `fn` on the configured database, migrated first, and closes it afterwards. */
async function withDatabase(config: Config, fn: (database: Database) => Promise<number>): Promise<number> {
  const database = await openConfiguredDatabase(config);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** Runs until SIGINT or SIGTERM, then shuts down cleanly; a second signal ends the process at once. */
function untilSignal(shutdown: () => Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    const onSignal = () => void shutdown().then(() => resolve(0), reject);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

async function serve({ config, options }: Invocation): Promise<number> {
  const log = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config);
  const demo = await seedDemoIfEmpty(config, database);
  const server = await listen(config, database, log);
  const runner = options['no-worker'] ? null : startCheckRunner(config, database.db, log);
  if (demo) console.log(demo);
  console.log(`SitePulse MCP serving ${config.resource} (listening on ${config.host}:${config.port}, ${database.engine}${runner ? ', with the check runner' : ''})`);
  // In-flight checks finish (or go back to the queue) while HTTP stops taking requests.
  return untilSignal(async () => {
    await Promise.all([runner?.stop(), new Promise((resolve) => server.close(resolve))]);
    await database.close();
  });
}

async function worker({ config }: Invocation): Promise<number> {
  // The embedded database belongs to the one process that opened it; `serve` runs the checks there.
  if (!config.databaseUrl) throw new UsageError('worker needs DATABASE_URL: with the embedded database, `serve` runs the checks itself.');
  const database = await openConfiguredDatabase(config);
  const runner = startCheckRunner(config, database.db, createLogger(config.logLevel));
  console.log(`SitePulse check runner ${runner.id} working on ${database.engine}`);
  return untilSignal(async () => {
    await runner.stop();
    await database.close();
  });
}

const COMMANDS: Record<string, (inv: Invocation) => Promise<number>> = {
  serve,
  worker,
  migrate: async ({ config }) => {
    const database = await openConfiguredDatabase(config, { migrate: false });
    try {
      const applied = await migrate(database);
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Nothing to apply.');
      return 0;
    } finally {
      await database.close();
    }
  },
  seed: async ({ config, args }) => {
    const fixture = JSON.parse(await readFile(need(args[0], 'FILE.json'), 'utf8'));
    return withDatabase(config, async ({ db }) => (console.log(JSON.stringify(await seed(db, fixture))), 0));
  },
  'user create': async ({ config, options: o }) => {
    const user = { email: need(o.email, '--email'), name: need(o.name, '--name'), password: need(o.password, '--password') };
    const passwordHash = await hashPassword(user.password);
    return withDatabase(config, async ({ db }) => {
      const id = await createUser(db, { ...user, passwordHash, verified: o.verified ?? false });
      console.log(JSON.stringify({ id, email: user.email.trim().toLowerCase() }));
      return 0;
    });
  },
  'token create': async ({ config, options: o }) => {
    const expiresAt = o['expires-at'] === undefined ? undefined : new Date(o['expires-at']);
    if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new UsageError('--expires-at must be an ISO 8601 time.');
    const [email, name, scopes] = [need(o.email, '--email'), need(o.name, '--name'), need(o.scopes, '--scopes').split(',')];
    return withDatabase(config, async ({ db }) => {
      const { secret } = await createMcpToken(db, { userId: await findUserId(db, email), name, scopes: scopes.map((s) => s.trim()), expiresAt });
      console.log(secret);
      return 0;
    });
  },
  'token list': async ({ config, options: o }) => {
    const email = need(o.email, '--email');
    return withDatabase(config, async ({ db }) => (console.log(JSON.stringify(await listTokens(db, await findUserId(db, email)), null, 2)), 0));
  },
  'token revoke': async ({ config, options: o }) => {
    if (!o.id === !o.token) throw new UsageError('Pass exactly one of --id or --token.');
    const id = Number(o.id);
    if (o.id !== undefined && !(Number.isInteger(id) && id > 0)) throw new UsageError('--id must be a positive integer.');
    return withDatabase(config, async ({ db }) => {
      const revoked = await revokeToken(db, o.token ? { secret: o.token } : { id });
      console.log(revoked ? 'Revoked.' : 'No live token matched; nothing changed.');
      return revoked ? 0 : 1;
    });
  },
};

async function main(argv: string[]): Promise<number> {
  const { values: options, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  if (options.help || !positionals.length) {
    console.log(USAGE);
    return options.help ? 0 : 2;
  }
  // "user create", "token list": the group and its verb name one command.
  const grouped = positionals.length > 1 && `${positionals[0]} ${positionals[1]}` in COMMANDS;
  const name = grouped ? `${positionals[0]} ${positionals[1]}` : positionals[0]!;
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
  return command({ config: loadConfig(), options, args: positionals.slice(grouped ? 2 : 1) });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const parseError = err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');
    if (err instanceof UsageError || parseError) console.error(`${(err as Error).message}\n\n${USAGE}`);
    else if (err instanceof ZodError) console.error(`Invalid input:\n${err.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
    else console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  },
);

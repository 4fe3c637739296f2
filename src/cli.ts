#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { openConfiguredDatabase } from './runtime.js';
import { migrate } from './db/migrate.js';
import { seed } from './fixtures/seed.js';
import { listen, seedDemoIfEmpty } from './serve.js';
import { hashPassword } from './auth/passwords.js';
import { createMcpToken, listTokens, revokeToken } from './auth/tokens.js';
import { AppError } from './domain/errors.js';
import { findUserId, createUser } from './domain/users.js';
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

class UsageError extends Error {}

function need<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw new UsageError(`Missing --${flag}.`);
  return value;
}

/** Runs until SIGINT or SIGTERM, then shuts down cleanly; a second signal ends the process at once. */
function untilSignal(shutdown: () => Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    const onSignal = () => void shutdown().then(() => resolve(0), reject);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

async function main(argv: string[]): Promise<number> {
  const { values: o, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, sub] = positionals;
  if (o.help || !command) {
    console.log(USAGE);
    return command || o.help ? 0 : 2;
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel);

  if (command === 'serve') {
    const database = await openConfiguredDatabase(config);
    const demo = await seedDemoIfEmpty(config, database);
    const server = await listen(config, database, log);
    const runner = o['no-worker'] ? null : startCheckRunner(config, database.db, log);
    if (demo) console.log(demo);
    console.log(`SitePulse MCP serving ${config.resource} (listening on ${config.host}:${config.port}, ${database.engine}${runner ? ', with the check runner' : ''})`);
    return untilSignal(async () => {
      await Promise.all([runner?.stop(), new Promise((resolve) => server.close(resolve))]);
      await database.close();
    });
  }

  if (command === 'worker') {
    // The embedded database belongs to the one process that opened it; `serve` runs the checks there.
    if (!config.databaseUrl) throw new UsageError('worker needs DATABASE_URL: with the embedded database, `serve` runs the checks itself.');
    const database = await openConfiguredDatabase(config);
    const runner = startCheckRunner(config, database.db, log);
    console.log(`SitePulse check runner ${runner.id} working on ${database.engine}`);
    return untilSignal(async () => {
      await runner.stop();
      await database.close();
    });
  }

  const database = await openConfiguredDatabase(config, { migrate: false });
  const db = database.db;
  try {
    switch (`${command}${sub ? ` ${sub}` : ''}`) {
      case 'migrate': {
        const applied = await migrate(database);
        console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Nothing to apply.');
        return 0;
      }
      case `seed ${sub}`: {
        await migrate(database);
        const ids = await seed(db, JSON.parse(await readFile(need(sub, 'FILE'), 'utf8')));
        console.log(JSON.stringify(ids));
        return 0;
      }
      case 'user create': {
        await migrate(database);
        const id = await createUser(db, {
          email: need(o.email, 'email'),
          name: need(o.name, 'name'),
          passwordHash: await hashPassword(need(o.password, 'password')),
          verified: o.verified ?? false,
        });
        console.log(JSON.stringify({ id, email: o.email!.toLowerCase() }));
        return 0;
      }
      case 'token create': {
        await migrate(database);
        const expiresAt = o['expires-at'] === undefined ? undefined : new Date(o['expires-at']);
        if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new UsageError('--expires-at must be an ISO 8601 time.');
        const { secret } = await createMcpToken(db, {
          userId: await findUserId(db, need(o.email, 'email')),
          name: need(o.name, 'name'),
          scopes: need(o.scopes, 'scopes').split(',').map((s) => s.trim()).filter(Boolean),
          expiresAt,
        });
        console.log(secret);
        return 0;
      }
      case 'token list':
        console.log(JSON.stringify(await listTokens(db, await findUserId(db, need(o.email, 'email'))), null, 2));
        return 0;
      case 'token revoke': {
        if (!o.id === !o.token) throw new UsageError('Pass exactly one of --id or --token.');
        const id = Number(o.id);
        if (o.id !== undefined && !(Number.isInteger(id) && id > 0)) throw new UsageError('--id must be a positive integer.');
        const revoked = await revokeToken(db, o.token ? { secret: o.token } : { id });
        console.log(revoked ? 'Revoked.' : 'No live token matched; nothing changed.');
        return revoked ? 0 : 1;
      }
      default:
        throw new UsageError(`Unknown command "${positionals.join(' ')}".`);
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${err.message}\n\n${USAGE}`);
    } else if (err instanceof AppError) console.error(err.message);
    else if (err instanceof ZodError) console.error(`Invalid input:\n${err.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
    else console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  },
);

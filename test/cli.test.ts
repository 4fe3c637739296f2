import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect } from './support/client.js';

/**
 * The `sitepulse-mcp` command as a person runs it, on an embedded database in a directory of its own
 * (the CLI reads the same code path for PostgreSQL; these tests are about the command, not the engine).
 */

const CLI = ['--import', 'tsx', 'src/cli.ts'];
let dir: string;
const env = () => ({ ...process.env, DATA_DIR: join(dir, 'data'), DATABASE_URL: '', LOG_LEVEL: 'silent' });

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...CLI, ...args], { env: env() });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts `serve` and resolves with everything it printed once it says it is serving. */
function serve(port: number): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, [...CLI, 'serve'], { env: { ...env(), PORT: String(port) } });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (d) => {
      output += d;
      if (output.includes('SitePulse MCP serving')) resolve({ child, output });
    });
    child.stderr!.on('data', (d) => (output += d));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

const stop = (child: ChildProcess) => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM')));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sitepulse-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.sequential('sitepulse-mcp', () => {
  test('serve on an empty embedded database loads the demo and prints a token that works', async () => {
    const port = await freePort();
    const { child, output } = await serve(port);
    try {
      const password = /Sign in:\s+demo@sitepulse\.test \/ (\S+)/.exec(output)?.[1];
      const token = /MCP token:\s+(spm_[A-Za-z0-9_-]{43})/.exec(output)?.[1];
      expect(password).toBeTruthy();
      expect(token).toBeTruthy();
      expect(output).toContain(`"url": "http://localhost:${port}/mcp"`);
      const client = await connect(`http://127.0.0.1:${port}/mcp`, token!);
      expect((await client.listTools()).tools).toHaveLength(15);
      const teams = (await client.callTool({ name: 'list_teams', arguments: {} })).structuredContent as any;
      expect(teams.teams.map((t: any) => [t.name, t.role])).toEqual([['Acme', 'owner'], ['Globex', 'editor']]);
      await client.close();
    } finally {
      await stop(child);
    }
    // A second start finds the workspace and does not seed again.
    const again = await serve(port);
    await stop(again.child);
    expect(again.output).not.toContain('Demo workspace loaded');
  });

  test('migrate is idempotent', async () => {
    const res = await run('migrate');
    expect(res).toMatchObject({ code: 0, stdout: 'Nothing to apply.\n' });
  });

  test('seed prints the id map of DESIGN §6', async () => {
    const file = join(dir, 'fixture.json');
    await writeFile(
      file,
      JSON.stringify({
        users: [{ email: 'olive@seed.test', name: 'Olive', password: 'correct horse', email_verified: true }],
        teams: [
          {
            key: 'seedco',
            name: 'SeedCo',
            plan: 'pro',
            subscription: { status: 'active', ends_at: null, trial_ends_at: null },
            members: [{ email: 'olive@seed.test', role: 'owner' }],
            sites: [
              {
                key: 'home',
                name: 'Home',
                url: 'https://seed.test',
                check_runs: [{ check_type: 'uptime', trigger: 'scheduled', status: 'failed', finished_at: '2026-11-01T10:00:00Z', http_status: 503, response_time_ms: 812 }],
                issues: [{ check_type: 'uptime', severity: 'critical', status: 'open', title: 'Site down', opened_at: '2026-11-01T10:00:00Z' }],
              },
            ],
          },
        ],
      }),
    );
    const res = await run('seed', file);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({
      users: { 'olive@seed.test': expect.any(Number) },
      teams: { seedco: expect.any(Number) },
      sites: { 'seedco/home': expect.any(Number) },
      check_runs: { 'seedco/home/0': expect.any(Number) },
      issues: { 'seedco/home/0': expect.any(Number) },
    });
    const bad = await run('seed', join(dir, 'missing.json'));
    expect(bad.code).toBe(2);
  });

  test('user create, then token create prints the token alone; list and revoke', async () => {
    const user = await run('user', 'create', '--email', 'Cli@Example.test', '--name', 'Cli', '--password', 'pw-123456', '--verified');
    expect(user.code).toBe(0);
    expect(JSON.parse(user.stdout)).toMatchObject({ email: 'cli@example.test' });
    expect((await run('user', 'create', '--email', 'cli@example.test', '--name', 'Cli', '--password', 'x')).stderr).toContain('already exists');

    const created = await run('token', 'create', '--email', 'cli@example.test', '--name', 'CI agent', '--scopes', 'sites:read,issues:read');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^spm_[A-Za-z0-9_-]{43}\n$/);
    const token = created.stdout.trim();

    const listed = JSON.parse((await run('token', 'list', '--email', 'cli@example.test')).stdout);
    expect(listed).toEqual([expect.objectContaining({ name: 'CI agent', scopes: ['sites:read', 'issues:read'], revoked_at: null })]);
    expect(JSON.stringify(listed)).not.toContain(token.slice(4));
    expect(JSON.stringify(listed)).not.toContain('hash');

    expect(await run('token', 'revoke', '--token', token)).toMatchObject({ code: 0, stdout: 'Revoked.\n' });
    expect((await run('token', 'revoke', '--token', token)).code).toBe(1);
    const after = JSON.parse((await run('token', 'list', '--email', 'cli@example.test')).stdout);
    expect(after[0].revoked_at).not.toBeNull();
  });

  test.each([
    [['token', 'create', '--email', 'cli@example.test', '--name', 'x', '--scopes', 'sites:read,*'], 'Unknown scope(s): *'],
    [['token', 'create', '--email', 'cli@example.test', '--name', 'x', '--scopes', 'sites:read', '--expires-at', '2099-01-01T00:00:00Z'], 'six months'],
    [['token', 'create', '--email', 'nobody@example.test', '--name', 'x', '--scopes', 'sites:read'], 'No user'],
    [['token', 'revoke', '--id', 'abc'], 'positive integer'],
    [['frobnicate'], 'Unknown command'],
    [['user', 'create', '--email', 'x@y.test'], 'Missing --name'],
  ])('%j is refused with a message', async (args, message) => {
    const res = await run(...args);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
  });
});

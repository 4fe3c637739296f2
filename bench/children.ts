import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProfileCommand } from './servers/profiler.js';
import { STOP, type CommandReply, type ReadyMessage } from './servers/serve.js';

export interface ServerChild {
  name: string;
  origin: string;
  /** Sends a command (see servers/profiler.ts) and waits for the child's reply. */
  command(command: ProfileCommand): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Every child still running, killed outright if the bench exits any other way than through stop(). */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Starts bench/servers/<entry> in its own Node process (TypeScript through tsx), so that the load generator
 * never shares the server's event loop. Its stdout (the app's request log) is discarded; stderr is shown.
 */
export function startServer(name: string, entry: string, env: Record<string, string>): Promise<ServerChild> {
  const file = fileURLToPath(new URL(`./servers/${entry}`, import.meta.url));
  const child = fork(file, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send(STOP);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const command = (message: ProfileCommand) =>
    new Promise<void>((resolve, reject) => {
      child.once('message', (reply: CommandReply) => (reply.ok ? resolve() : reject(new Error(`${name} server: ${reply.error}`))));
      child.send(message);
    });

  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`${name} server ${why}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} server exited before it was ready (${signal ?? `code ${code}`})`));
    });
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve({ name, origin: (message as ReadyMessage).origin, command, stop });
    });
  });
}

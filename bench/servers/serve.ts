import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isProfileCommand, runProfileCommand } from './profiler.js';

export interface BenchServer {
  handler: RequestListener;
  close?: () => Promise<void>;
}

/** What a server child tells the bench once it listens. */
export interface ReadyMessage {
  origin: string;
}

/** The message the bench sends to stop a child cleanly. */
export const STOP = 'stop';

/** A child's answer to a command other than STOP. */
export type CommandReply = { ok: true } | { ok: false; error: string };

/**
 * Runs one benchmarked server in this child process on 127.0.0.1 and an ephemeral port. The port is bound
 * before the app is built because SitePulse's config needs its public URL.
 */
export async function serveBench(build: (at: { port: number; origin: string }) => Promise<BenchServer> | BenchServer) {
  const send = process.send?.bind(process);
  if (!send) throw new Error('A bench server runs as a child of bench/run.ts (it reports over IPC).');
  // The bench may die without saying stop; the closed IPC channel is then the signal to go.
  process.on('disconnect', () => process.exit(0));

  let server: BenchServer | undefined;
  const http = createServer((req, res) => server!.handler(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  server = await build({ port, origin });

  process.on('message', async (message) => {
    if (message === STOP) {
      http.closeAllConnections();
      http.close();
      await server?.close?.();
      process.exit(0);
    }
    if (isProfileCommand(message)) {
      const reply: CommandReply = await runProfileCommand(message).then(
        () => ({ ok: true }),
        (err: unknown) => ({ ok: false, error: String(err) }),
      );
      send(reply);
    }
  });
  send({ origin } satisfies ReadyMessage);
}

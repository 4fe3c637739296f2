import type { Express } from 'express';
import type { AddressInfo } from 'node:net';

/**
 * Every bench server binds an ephemeral loopback port and announces it on stdout for the orchestrator.
 * SIGTERM exits normally, so a server run with --cpu-prof writes its profile.
 */
export function announce(app: Express): void {
  process.once('SIGTERM', () => process.exit(0));
  const server = app.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.address() as AddressInfo).port}`));
}

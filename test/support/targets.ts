import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A site to check, served by the test on 127.0.0.1 (the only network there is). Paths:
 *   /ok  200 · /status/N  N · /slow/MS  200 after MS ms · /hang  never answers · /big  a 1 MiB body
 *   /redirect?to=URL  302 to URL · /loop/a ⇄ /loop/b  a redirect loop · /flaky  whatever `flaky` says
 * Every request is counted by path, so tests can tell how often a site was really checked.
 */
export interface Target {
  url: string;
  port: number;
  hits(path: string): number;
  /** The status /flaky answers with. */
  flaky: number;
  lastHost: string | undefined;
  close(): Promise<void>;
}

export async function startTarget(tls?: { key: string; cert: string }): Promise<Target> {
  const counts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const target = { flaky: 200, lastHost: undefined as string | undefined };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://target');
    counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
    target.lastHost = req.headers.host;
    const [, first, arg] = url.pathname.split('/');
    const send = (status: number, headers: Record<string, string> = {}) => res.writeHead(status, headers).end(`status ${status}`);
    switch (first) {
      case 'ok':
        return send(200);
      case 'status':
        return send(Number(arg));
      case 'slow': {
        const timer = setTimeout(() => send(200), Number(arg));
        return void timers.add(timer);
      }
      case 'hang':
        return;
      case 'big': {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        for (let i = 0; i < 16; i++) res.write(chunk);
        return void res.end();
      }
      case 'redirect':
        return send(302, { location: url.searchParams.get('to') ?? '/ok' });
      case 'loop':
        return send(302, { location: arg === 'a' ? '/loop/b' : '/loop/a' });
      case 'flaky':
        return send(target.flaky);
      default:
        return send(404);
    }
  };
  const server: Server = tls ? createHttps({ key: tls.key, cert: tls.cert }, handler) : createHttp(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(target, {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    hits: (path: string) => counts.get(path) ?? 0,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A port on 127.0.0.1 where nothing listens: bound once to get a free number, then closed. */
export async function refusedPort(): Promise<number> {
  const server = createHttp();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

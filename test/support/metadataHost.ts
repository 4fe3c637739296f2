import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';

/** An https host on 127.0.0.1 serving one client ID metadata document, counting how often it is fetched. */
export interface MetadataHost {
  clientId: string;
  fetches: number;
  /** The document served; by default a valid one for `clientId` with these redirect URIs. */
  document: Record<string, unknown>;
  cacheControl: string;
  close(): Promise<void>;
}

export async function startMetadataHost(redirectUris: string[], clientName = 'Metadata Test Client'): Promise<MetadataHost> {
  const { key, cert } = inject('loopbackTls');
  let host!: MetadataHost;
  const server: Server = createServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
    if (req.url !== '/oauth/client.json') return void res.writeHead(404).end();
    host.fetches++;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': host.cacheControl }).end(JSON.stringify(host.document));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const clientId = `https://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/client.json`;
  host = {
    clientId,
    fetches: 0,
    cacheControl: 'max-age=300',
    document: { client_id: clientId, client_name: clientName, redirect_uris: redirectUris, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return host;
}

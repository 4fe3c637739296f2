import { lookup, type LookupAddress } from 'node:dns';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './addresses.js';

/**
 * An https GET to a URL someone else gave us (a client ID metadata document), safe against SSRF: every
 * address the name resolves to must be public unicast (no loopback, private, link-local, CGNAT, multicast
 * or reserved range), checked inside the socket's own lookup so a DNS rebind cannot swap the address after
 * the check. No redirects are followed; the time and the body size are bounded.
 */
export interface PublicFetchOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
  headers?: Record<string, string>;
}

export interface FetchedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class FetchRefused extends Error {}

function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !allowPrivate && !isPublicAddress(a.address));
      if (refused || !addresses.length) {
        return callback(new FetchRefused(`${hostname} resolves to a non-public address.`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

export function fetchPublic(url: URL, opts: PublicFetchOptions): Promise<FetchedResponse> {
  if (url.protocol !== 'https:') return Promise.reject(new FetchRefused('Only https URLs are fetched.'));
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !opts.allowPrivate && !isPublicAddress(literal)) {
    return Promise.reject(new FetchRefused(`${url.hostname} is not a public address.`));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      headers: opts.headers,
      lookup: guardedLookup(opts.allowPrivate),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxBytes) req.destroy(new FetchRefused(`The response is larger than ${opts.maxBytes} bytes.`));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.end();
  });
}

import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressRange } from '../net/addresses.js';

/**
 * Check targets are URLs users type, fetched from our network: without this guard anyone could make us
 * probe our own loopback, private network or the cloud metadata address. Every name is resolved here,
 * every address must be public, and the caller then connects to exactly the address checked (see
 * `pinnedLookup`), so a DNS answer that changes between check and connect (rebinding) cannot slip through.
 */

export interface ResolvedTarget {
  hostname: string;
  address: string;
  family: 4 | 6;
}

export class TargetRefused extends Error {
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      `${hostname} resolves to ${address} (${range}), which is not a public address; ` +
        'this server does not check private, loopback or link-local destinations.',
    );
  }
}

/** Resolves a host name to every address it has; the default is the system resolver (hosts file included). */
export type Lookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface TargetGuard {
  resolve(hostname: string): Promise<ResolvedTarget>;
}

/**
 * The guard for one operator setting: with `allowPrivate` (development, tests, self-hosting on a LAN)
 * names are still resolved and pinned, but any address is accepted.
 */
export function targetGuard(opts: { allowPrivate: boolean; lookup?: Lookup }): TargetGuard {
  const lookup = opts.lookup ?? systemLookup;
  return {
    async resolve(rawHostname) {
      // URL.hostname keeps IPv6 literals in brackets.
      const hostname = rawHostname.replace(/^\[(.*)\]$/, '$1');
      const answers = isIP(hostname) ? [{ address: hostname, family: isIP(hostname) }] : await lookup(hostname);
      if (answers.length === 0) throw Object.assign(new Error(`No address found for ${hostname}.`), { code: 'ENOTFOUND' });
      if (!opts.allowPrivate) {
        // Every answer must be public: a name that also points inward is refused outright.
        for (const a of answers) {
          const range = addressRange(a.address);
          if (range !== 'unicast') throw new TargetRefused(hostname, a.address, range);
        }
      }
      const first = answers[0]!;
      return { hostname, address: first.address, family: first.family === 6 ? 6 : 4 };
    },
  };
}

type LookupCallback = (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void;

/**
 * A `lookup` for net/tls connect options that answers with the checked address only. Node asks for
 * `all` answers when it races address families (autoSelectFamily), hence both callback shapes.
 */
export function pinnedLookup(target: ResolvedTarget) {
  return (_hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

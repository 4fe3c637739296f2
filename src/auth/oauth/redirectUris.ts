/**
 * Redirect URI rules: https anywhere; plain http only to the loopback interface (RFC 8252 §7.3, where the
 * port may differ per run); or a custom scheme a native client owns (RFC 8252 §7.1), from an allow-list.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

const isLoopbackHttp = (url: URL) => url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);

/** Why a redirect URI cannot be registered, or null when it can. */
export function redirectUriProblem(uri: string, customSchemes: ReadonlySet<string>): string | null {
  const url = parse(uri);
  if (!url) return `${uri} is not an absolute URI.`;
  if (url.hash || uri.includes('#')) return `${uri} must not contain a fragment.`;
  if (url.username || url.password) return `${uri} must not contain user information.`;
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') return isLoopbackHttp(url) ? null : `${uri}: plain http is only allowed to 127.0.0.1, [::1] or localhost.`;
  const scheme = url.protocol.slice(0, -1);
  return customSchemes.has(scheme) ? null : `${uri}: the scheme ${scheme}: is not allowed (https, loopback http, or one of ${[...customSchemes].join(', ')}).`;
}

/** Exact string match, except that a loopback http URI may name any port (RFC 8252 §7.3). */
export function redirectUriAllowed(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  const want = parse(requested);
  if (!want || !isLoopbackHttp(want)) return false;
  const withoutPort = (u: URL) => `${u.hostname}${u.pathname}${u.search}`;
  return registered.some((r) => {
    const have = parse(r);
    return have !== null && isLoopbackHttp(have) && withoutPort(have) === withoutPort(want);
  });
}

/** Host shown on the consent page, and whether it is only this computer (a spoofable loopback listener). */
export function describeRedirect(uri: string): { host: string; loopback: boolean } {
  const url = new URL(uri);
  if (url.protocol === 'http:' || url.protocol === 'https:') return { host: url.host, loopback: isLoopbackHttp(url) };
  return { host: `${url.protocol}//${url.host}`, loopback: false };
}

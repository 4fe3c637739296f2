import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import type { MonitoringSettings } from '../db/schema.js';
import { describeFailure } from './failures.js';
import { deadline, elapsedSince, outcome, type CheckContext, type CheckOutcome } from './outcome.js';
import { pinnedLookup, TargetRefused, type ResolvedTarget } from './ssrf.js';

/** Redirects followed before giving up; browsers allow about 20, a monitored page needs few. */
export const MAX_REDIRECTS = 5;
/** Bytes of a body read at most: enough to see the server answer, never a download. */
export const BODY_LIMIT = 64 * 1024;
const USER_AGENT = 'SitePulse-Monitor/0.1 (uptime check)';
const REDIRECT = new Set([301, 302, 303, 307, 308]);

interface Hop {
  status: number;
  location: string | undefined;
  bytes: number;
  truncated: boolean;
}

/** One request to the pinned address, reading at most BODY_LIMIT bytes of the answer. */
async function fetchOnce(url: URL, target: ResolvedTarget, signal: AbortSignal, timeoutMs: number, ca: string[] | undefined): Promise<Hop> {
  // An agent per hop: its connections go only to the address the guard checked.
  const agent = new Agent({ connect: { lookup: pinnedLookup(target), timeout: timeoutMs, ...(ca && { ca }) } });
  try {
    const res = await request(url, { dispatcher: agent, method: 'GET', signal, headers: { 'user-agent': USER_AGENT, accept: '*/*' } });
    let bytes = 0;
    let truncated = false;
    for await (const chunk of res.body) {
      bytes += (chunk as Buffer).length;
      if (bytes > BODY_LIMIT) {
        truncated = true;
        bytes = BODY_LIMIT;
        break; // leaving the loop destroys the stream and so the rest of the body
      }
    }
    const location = res.headers.location;
    return { status: res.statusCode, location: Array.isArray(location) ? location[0] : location, bytes, truncated };
  } finally {
    await agent.destroy();
  }
}

const reason = (status: number) => `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;

/**
 * GETs the URL within the site's timeout (the whole check, redirects included), following up to
 * MAX_REDIRECTS redirects, each hop resolved and checked by the guard. A 2xx answer succeeds, a slow one is
 * a warning; anything else fails, with a summary that says why.
 */
export async function checkUptime(
  url: string,
  settings: Pick<MonitoringSettings, 'timeout_ms' | 'slow_response_ms'>,
  ctx: CheckContext,
): Promise<CheckOutcome> {
  const limit = deadline(settings.timeout_ms, ctx.signal);
  const start = performance.now();
  const redirects: { url: string; status: number }[] = [];
  const seen = new Set<string>();
  let current = new URL(url);
  for (;;) {
    seen.add(current.href);
    let hop: Hop;
    let target: ResolvedTarget | undefined;
    try {
      target = await ctx.guard.resolve(current.hostname);
      hop = await fetchOnce(current, target, limit.signal, settings.timeout_ms, ctx.ca);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      if (err instanceof TargetRefused) return outcome('errored', `Not checked: ${err.message}`, { error: err.message, result: { redirects } });
      const summary = describeFailure(err, current.host, limit.timedOut() ? settings.timeout_ms : undefined);
      return outcome('failed', summary, { response_time_ms: elapsedSince(start), result: { redirects, address: target?.address ?? null } });
    }
    const elapsed = elapsedSince(start);
    const result = {
      final_url: current.href,
      address: target.address,
      redirects,
      body_bytes_read: hop.bytes,
      body_truncated: hop.truncated,
    };
    const common = { http_status: hop.status, response_time_ms: elapsed, result };

    if (REDIRECT.has(hop.status) && hop.location) {
      redirects.push({ url: current.href, status: hop.status });
      let next: URL;
      try {
        next = new URL(hop.location, current);
      } catch {
        return outcome('failed', `${reason(hop.status)} redirects to an invalid address.`, common);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        return outcome('failed', `${reason(hop.status)} redirects to a ${next.protocol} address, which is not checked.`, common);
      }
      if (seen.has(next.href)) return outcome('failed', `Redirect loop: ${current.href} leads back to ${next.href}.`, common);
      if (redirects.length > MAX_REDIRECTS) return outcome('failed', `More than ${MAX_REDIRECTS} redirects; gave up at ${current.href}.`, common);
      current = next;
      continue;
    }

    const hops = redirects.length ? ` after ${redirects.length} redirect${redirects.length > 1 ? 's' : ''}` : '';
    if (hop.status < 200 || hop.status > 299) return outcome('failed', `${reason(hop.status)}${hops} (expected 2xx).`, common);
    if (elapsed > settings.slow_response_ms) {
      return outcome('warning', `${reason(hop.status)}${hops} in ${elapsed} ms, slower than ${settings.slow_response_ms} ms.`, common);
    }
    return outcome('succeeded', `${reason(hop.status)}${hops} in ${elapsed} ms.`, common);
  }
}

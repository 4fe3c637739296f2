import { isIP } from 'node:net';
import { connect, type PeerCertificate } from 'node:tls';
import type { MonitoringSettings } from '../db/schema.js';
import { describeFailure, tlsReason } from './failures.js';
import { deadline, elapsedSince, outcome, type CheckContext, type CheckOutcome } from './outcome.js';
import { TargetRefused, type ResolvedTarget } from './ssrf.js';

const DAY_MS = 86_400_000;

interface Handshake {
  authorized: boolean;
  authorizationError: string | null;
  cert: PeerCertificate;
  protocol: string | null;
}

/**
 * A TLS handshake with the checked address, presenting the site's name (SNI) and verifying the chain and
 * the name without failing on them, so that an invalid certificate can still be described.
 */
function handshake(target: ResolvedTarget, port: number, signal: AbortSignal, ca: string[] | undefined): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.address,
      port,
      // The name the certificate must cover; without SNI, Node checks an IP literal against the IP SANs.
      servername: isIP(target.hostname) ? undefined : target.hostname,
      rejectUnauthorized: false,
      ...(ca && { ca }),
    });
    const abort = () => socket.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', abort, { once: true });
    socket.once('secureConnect', () => {
      signal.removeEventListener('abort', abort);
      const authorizationError = socket.authorizationError;
      resolve({
        authorized: socket.authorized,
        authorizationError: authorizationError ? String(authorizationError) : null,
        cert: socket.getPeerCertificate(),
        protocol: socket.getProtocol(),
      });
      socket.end();
    });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', abort);
      reject(err);
    });
  });
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function describeCert(cert: PeerCertificate) {
  return {
    subject: cert.subject?.CN ?? null,
    issuer: cert.issuer?.O ?? cert.issuer?.CN ?? null,
    subject_alt_names: cert.subjectaltname ? cert.subjectaltname.split(', ') : [],
    valid_from: cert.valid_from ? new Date(cert.valid_from).toISOString() : null,
    valid_to: cert.valid_to ? new Date(cert.valid_to).toISOString() : null,
    serial_number: cert.serialNumber ?? null,
    fingerprint256: cert.fingerprint256 ?? null,
  };
}

/**
 * Checks the certificate an https site presents: `failed` when it is expired, not yet valid, untrusted or
 * for another name; `warning` when it expires within cert_expiry_warn_days; else `succeeded`.
 */
export async function checkCertificate(
  url: string,
  settings: Pick<MonitoringSettings, 'timeout_ms' | 'cert_expiry_warn_days'>,
  ctx: CheckContext,
): Promise<CheckOutcome> {
  const u = new URL(url);
  if (u.protocol !== 'https:') return outcome('errored', 'Not an https:// site, so there is no certificate to check.', { error: 'not_https' });
  const port = Number(u.port || 443);
  const limit = deadline(settings.timeout_ms, ctx.signal);
  const start = performance.now();
  let hs: Handshake;
  try {
    hs = await handshake(await ctx.guard.resolve(u.hostname), port, limit.signal, ctx.ca);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    if (err instanceof TargetRefused) return outcome('errored', `Not checked: ${err.message}`, { error: err.message });
    return outcome('failed', describeFailure(err, u.host, limit.timedOut() ? settings.timeout_ms : undefined), {
      response_time_ms: elapsedSince(start),
    });
  }
  const response_time_ms = elapsedSince(start);
  const details = { ...describeCert(hs.cert), protocol: hs.protocol, authorized: hs.authorized, authorization_error: hs.authorizationError };
  if (!details.valid_to) return outcome('failed', `${u.host} presented no certificate.`, { response_time_ms, result: details });

  const validTo = new Date(details.valid_to);
  const now = new Date();
  const days = Math.floor((validTo.getTime() - now.getTime()) / DAY_MS);
  const result = { ...details, days_remaining: days };
  const extra = { response_time_ms, result };
  if (validTo <= now) {
    return outcome('failed', `The certificate expired on ${day(validTo)} (${-days} day${-days === 1 ? '' : 's'} ago).`, extra);
  }
  if (!hs.authorized) {
    const why = tlsReason(hs.authorizationError ?? '') ?? `it did not verify (${hs.authorizationError})`;
    return outcome('failed', `The certificate is not valid for ${u.hostname}: ${why}.`, extra);
  }
  if (days < settings.cert_expiry_warn_days) {
    return outcome('warning', `The certificate expires in ${days} day${days === 1 ? '' : 's'}, on ${day(validTo)}.`, extra);
  }
  return outcome('succeeded', `The certificate is valid until ${day(validTo)} (${days} days)${details.issuer ? `, issued by ${details.issuer}` : ''}.`, extra);
}

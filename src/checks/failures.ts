/**
 * Network and TLS failures in words a site owner can act on. Node and undici report them as error codes,
 * sometimes nested in `cause`; the first code found decides.
 */

const TLS_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in an untrusted self-signed root',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate's issuer is not trusted (incomplete chain?)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate's issuer is not trusted (incomplete chain?)",
  UNABLE_TO_GET_ISSUER_CERT: "the certificate's issuer is not trusted (incomplete chain?)",
  CERT_REVOKED: 'the certificate has been revoked',
  CERT_SIGNATURE_FAILURE: "the certificate's signature is invalid",
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not cover this host name',
};

/** Words for a TLS verification code (Node's `authorizationError` or an error's `code`), if it is one. */
export function tlsReason(code: string): string | undefined {
  return TLS_REASONS[code] ?? (/^ERR_SSL_|^ERR_TLS_/.test(code) ? `the TLS handshake failed (${code})` : undefined);
}

function codeOf(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
  }
  return undefined;
}

/**
 * One sentence for why a connection to `where` (host or host:port) did not produce an answer;
 * `timedOutAfterMs` is set when the check's own time limit cut it short.
 */
export function describeFailure(err: unknown, where: string, timedOutAfterMs?: number): string {
  if (timedOutAfterMs !== undefined) return `Timed out after ${timedOutAfterMs} ms waiting for ${where}.`;
  const code = codeOf(err) ?? '';
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return `DNS lookup failed: ${where} has no address (${code}).`;
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return `DNS lookup for ${where} failed; the name server did not answer (${code}).`;
    case 'ECONNREFUSED':
      return `Connection refused by ${where}: nothing is listening there.`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return `The connection to ${where} was closed before a complete answer (${code}).`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable from the monitoring network (${code}).`;
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `Timed out connecting to ${where}.`;
  }
  const tls = tlsReason(code);
  if (tls) return `TLS error with ${where}: ${tls}.`;
  return `Request to ${where} failed${code ? ` (${code})` : ''}.`;
}

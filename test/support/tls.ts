import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * A self-signed certificate for https://127.0.0.1, made once per run with openssl. The global setup points
 * NODE_EXTRA_CA_CERTS at it before the test workers start, so the server under test trusts the test's own
 * https hosts (client metadata documents) exactly as it would trust a real CA's — verification stays on.
 */
export function makeLoopbackCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'loopback-key.pem');
  const cert = join(dir, 'loopback-cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  return { key, cert };
}

import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkCertificate } from '../../src/checks/certificate.js';
import type { CheckContext } from '../../src/checks/outcome.js';
import { targetGuard } from '../../src/checks/ssrf.js';
import { BODY_LIMIT, MAX_REDIRECTS, checkUptime } from '../../src/checks/uptime.js';
import { testCertificates, type TestCertificates } from '../support/certificates.js';
import { refusedPort, startTarget, type Target } from '../support/targets.js';

/** Each check outcome against servers this file starts on 127.0.0.1. */

const uptime = { timeout_ms: 2_000, slow_response_ms: 1_000 };
const certificate = { timeout_ms: 2_000, cert_expiry_warn_days: 14 };

let certs: TestCertificates;
let ctx: CheckContext;
let http: Target;
const https: Partial<Record<'valid' | 'expiring' | 'expired' | 'selfSigned', Target>> = {};

beforeAll(async () => {
  certs = await testCertificates();
  ctx = { guard: targetGuard({ allowPrivate: true }), signal: new AbortController().signal, ca: [...rootCertificates, certs.ca] };
  http = await startTarget();
  for (const kind of ['valid', 'expiring', 'expired', 'selfSigned'] as const) https[kind] = await startTarget(certs[kind]);
});
afterAll(async () => {
  await Promise.all([http, ...Object.values(https)].map((t) => t?.close()));
});

describe('uptime', () => {
  test('a 200 succeeds with the status, a response time and a summary', async () => {
    const out = await checkUptime(`${http.url}/ok`, uptime, ctx);
    expect(out).toMatchObject({ status: 'succeeded', http_status: 200, error: null });
    expect(out.response_time_ms).toEqual(expect.any(Number));
    expect(out.summary).toMatch(/^HTTP 200 OK in \d+ ms\.$/);
    expect(out.result).toMatchObject({ final_url: `${http.url}/ok`, address: '127.0.0.1', redirects: [] });
  });

  test('a 503 fails and says what was expected', async () => {
    const out = await checkUptime(`${http.url}/status/503`, uptime, ctx);
    expect(out).toMatchObject({ status: 'failed', http_status: 503, summary: 'HTTP 503 Service Unavailable (expected 2xx).' });
  });

  test('a slow answer is a warning', async () => {
    const out = await checkUptime(`${http.url}/slow/400`, { timeout_ms: 5_000, slow_response_ms: 100 }, ctx);
    expect(out.status).toBe('warning');
    expect(out.http_status).toBe(200);
    expect(out.summary).toMatch(/^HTTP 200 OK in \d+ ms, slower than 100 ms\.$/);
  });

  test('no answer within the timeout fails as a timeout', async () => {
    const out = await checkUptime(`${http.url}/hang`, { timeout_ms: 300, slow_response_ms: 100 }, ctx);
    expect(out).toMatchObject({ status: 'failed', http_status: null, summary: `Timed out after 300 ms waiting for 127.0.0.1:${http.port}.` });
  });

  test('a refused connection fails as such', async () => {
    const port = await refusedPort();
    const out = await checkUptime(`http://127.0.0.1:${port}/`, uptime, ctx);
    expect(out).toMatchObject({ status: 'failed', summary: `Connection refused by 127.0.0.1:${port}: nothing is listening there.` });
  });

  test('a name that does not resolve fails as a DNS failure', async () => {
    const out = await checkUptime('http://nothing-here.invalid/', uptime, ctx);
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(/^DNS lookup (failed: nothing-here\.invalid has no address|for nothing-here\.invalid failed)/);
  });

  test('redirects are followed, and recorded', async () => {
    const out = await checkUptime(`${http.url}/redirect?to=/redirect%3Fto%3D/ok`, uptime, ctx);
    expect(out).toMatchObject({ status: 'succeeded', http_status: 200 });
    expect(out.summary).toMatch(/^HTTP 200 OK after 2 redirects in \d+ ms\.$/);
    expect((out.result.redirects as unknown[]).length).toBe(2);
    expect(out.result.final_url).toBe(`${http.url}/ok`);
  });

  test('a redirect loop fails without going round for ever', async () => {
    const before = http.hits('/loop/a');
    const out = await checkUptime(`${http.url}/loop/a`, uptime, ctx);
    expect(out).toMatchObject({ status: 'failed', http_status: 302 });
    expect(out.summary).toBe(`Redirect loop: ${http.url}/loop/b leads back to ${http.url}/loop/a.`);
    expect(http.hits('/loop/a') - before).toBe(1);
  });

  test('a redirect chain longer than the bound fails', async () => {
    let url = `${http.url}/ok`;
    for (let i = 0; i <= MAX_REDIRECTS + 1; i++) url = `${http.url}/redirect?to=${encodeURIComponent(url)}`;
    const out = await checkUptime(url, uptime, ctx);
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(new RegExp(`^More than ${MAX_REDIRECTS} redirects`));
    expect((out.result.redirects as unknown[]).length).toBe(MAX_REDIRECTS + 1);
  });

  test('a large body is read only up to the bound', async () => {
    const out = await checkUptime(`${http.url}/big`, uptime, ctx);
    expect(out.status).toBe('succeeded');
    expect(out.result).toMatchObject({ body_bytes_read: BODY_LIMIT, body_truncated: true });
  });

  test('https with a trusted certificate succeeds', async () => {
    const out = await checkUptime(`${https.valid!.url}/ok`, uptime, ctx);
    expect(out).toMatchObject({ status: 'succeeded', http_status: 200 });
  });

  test('https with an untrusted certificate fails as a TLS error', async () => {
    const out = await checkUptime(`${https.selfSigned!.url}/ok`, uptime, ctx);
    expect(out.status).toBe('failed');
    expect(out.summary).toBe(`TLS error with 127.0.0.1:${https.selfSigned!.port}: the certificate is self-signed and not trusted.`);
    expect(https.selfSigned!.hits('/ok')).toBe(0);
  });

  test('https with an expired certificate fails as a TLS error', async () => {
    const out = await checkUptime(`${https.expired!.url}/ok`, uptime, ctx);
    expect(out).toMatchObject({ status: 'failed', summary: `TLS error with 127.0.0.1:${https.expired!.port}: the certificate has expired.` });
  });
});

describe('certificate', () => {
  test('a trusted certificate far from expiry succeeds, with its details', async () => {
    const out = await checkCertificate(https.valid!.url, certificate, ctx);
    expect(out.status).toBe('succeeded');
    expect(out.result).toMatchObject({ authorized: true, subject: 'localhost', issuer: 'SitePulse Tests' });
    expect(out.result.days_remaining).toBeGreaterThanOrEqual(199);
    expect(out.summary).toMatch(/^The certificate is valid until \d{4}-\d\d-\d\d \(\d+ days\), issued by SitePulse Tests\.$/);
  });

  test('a certificate expiring within cert_expiry_warn_days is a warning', async () => {
    const out = await checkCertificate(https.expiring!.url, certificate, ctx);
    expect(out.status).toBe('warning');
    expect(out.result.days_remaining).toBeGreaterThanOrEqual(4);
    expect(out.result.days_remaining).toBeLessThanOrEqual(5);
    expect(out.summary).toMatch(/^The certificate expires in [45] days, on \d{4}-\d\d-\d\d\.$/);
  });

  test('the same certificate is fine when the team warns later', async () => {
    const out = await checkCertificate(https.expiring!.url, { ...certificate, cert_expiry_warn_days: 3 }, ctx);
    expect(out.status).toBe('succeeded');
  });

  test('an expired certificate fails', async () => {
    const out = await checkCertificate(https.expired!.url, certificate, ctx);
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(/^The certificate expired on \d{4}-\d\d-\d\d \([23] days ago\)\.$/);
  });

  test('an untrusted certificate fails and says why', async () => {
    const out = await checkCertificate(https.selfSigned!.url, certificate, ctx);
    expect(out).toMatchObject({ status: 'failed', summary: 'The certificate is not valid for 127.0.0.1: the certificate is self-signed and not trusted.' });
    expect(out.result).toMatchObject({ authorized: false, authorization_error: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  test('a certificate for another name fails', async () => {
    const other = targetGuard({ allowPrivate: true, lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
    const out = await checkCertificate(`https://elsewhere.test:${https.valid!.port}/`, certificate, { ...ctx, guard: other });
    expect(out).toMatchObject({ status: 'failed', summary: 'The certificate is not valid for elsewhere.test: the certificate does not cover this host name.' });
  });

  test('a server that does not speak TLS fails as a handshake error', async () => {
    const out = await checkCertificate(`https://127.0.0.1:${http.port}/`, certificate, ctx);
    expect(out.status).toBe('failed');
    expect(out.summary).toMatch(new RegExp(`^(TLS error with 127\\.0\\.0\\.1:${http.port}: the TLS handshake failed|The connection to 127\\.0\\.0\\.1:${http.port} was closed)`));
  });

  test('a refused port fails as such', async () => {
    const port = await refusedPort();
    const out = await checkCertificate(`https://127.0.0.1:${port}/`, certificate, ctx);
    expect(out).toMatchObject({ status: 'failed', summary: `Connection refused by 127.0.0.1:${port}: nothing is listening there.` });
  });
});

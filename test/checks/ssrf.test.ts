import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckContext } from '../../src/checks/outcome.js';
import { TargetRefused, targetGuard, type TargetGuard } from '../../src/checks/ssrf.js';
import { isPublicAddress } from '../../src/net/addresses.js';
import { checkCertificate } from '../../src/checks/certificate.js';
import { checkUptime } from '../../src/checks/uptime.js';
import { startTarget, type Target } from '../support/targets.js';

const settings = { timeout_ms: 2_000, slow_response_ms: 1_000, cert_expiry_warn_days: 14 };
const context = (guard: TargetGuard): CheckContext => ({ guard, signal: new AbortController().signal });

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(() => target.close());

describe('address classification', () => {
  test.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::127.0.0.1', '64:ff9b::a00:1', '2002:a00:1::1',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  test.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:93.184.216.34'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('the guard', () => {
  const strict = targetGuard({ allowPrivate: false });

  test('refuses private and loopback literals, IPv6 in brackets too', async () => {
    for (const host of ['127.0.0.1', '10.0.0.5', '[::1]', '[::ffff:127.0.0.1]', '169.254.169.254']) {
      await expect(strict.resolve(host)).rejects.toBeInstanceOf(TargetRefused);
    }
  });

  test('refuses a name that resolves to loopback (localhost, after DNS)', async () => {
    await expect(strict.resolve('localhost')).rejects.toThrow(/^localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/);
  });

  test('refuses a name when any of its addresses is private', async () => {
    const mixed = targetGuard({ allowPrivate: false, lookup: async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.1', family: 4 }] });
    await expect(mixed.resolve('mixed.test')).rejects.toThrow(/10\.0\.0\.1 \(private\)/);
  });

  test('accepts a public address, and anything when private targets are allowed', async () => {
    await expect(strict.resolve('93.184.216.34')).resolves.toMatchObject({ address: '93.184.216.34', family: 4 });
    await expect(targetGuard({ allowPrivate: true }).resolve('localhost')).resolves.toMatchObject({ hostname: 'localhost' });
  });
});

describe('checks behind the guard', () => {
  test('an uptime check of a private address is refused without connecting, unless allowed', async () => {
    const refused = await checkUptime(`${target.url}/ok`, settings, context(targetGuard({ allowPrivate: false })));
    expect(refused.status).toBe('errored');
    expect(refused.summary).toMatch(/^Not checked: 127\.0\.0\.1 resolves to 127\.0\.0\.1 \(loopback\), which is not a public address/);
    expect(target.hits('/ok')).toBe(0);

    const allowed = await checkUptime(`${target.url}/ok`, settings, context(targetGuard({ allowPrivate: true })));
    expect(allowed.status).toBe('succeeded');
    expect(target.hits('/ok')).toBe(1);
  });

  test('a certificate check of a private address is refused too', async () => {
    const out = await checkCertificate(`https://127.0.0.1:${target.port}/`, settings, context(targetGuard({ allowPrivate: false })));
    expect(out).toMatchObject({ status: 'errored', error: expect.stringMatching(/not a public address/) });
  });

  test('every redirect hop is checked: a redirect to a refused address is not followed', async () => {
    // A guard that allows only 127.0.0.1, standing in for "public"; 127.0.0.2 stands in for an internal host.
    const allowed = targetGuard({ allowPrivate: true });
    const onlyFirst: TargetGuard = {
      resolve: async (host) => {
        const t = await allowed.resolve(host);
        if (t.address !== '127.0.0.1') throw new TargetRefused(host, t.address, 'private');
        return t;
      },
    };
    const before = target.hits('/ok');
    const out = await checkUptime(`${target.url}/redirect?to=${encodeURIComponent(`http://127.0.0.2:${target.port}/ok`)}`, settings, context(onlyFirst));
    expect(out.status).toBe('errored');
    expect(out.summary).toMatch(/127\.0\.0\.2 resolves to 127\.0\.0\.2/);
    expect(out.result.redirects).toEqual([{ url: expect.stringContaining('/redirect?to='), status: 302 }]);
    expect(target.hits('/ok')).toBe(before);
  });

  test('the connection goes to the address the guard checked, not to a second DNS answer', async () => {
    // rebind.test does not resolve on this machine: only the guard's (pinned) answer can reach the target.
    const pinned = targetGuard({ allowPrivate: true, lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
    const before = target.hits('/ok');
    const out = await checkUptime(`http://rebind.test:${target.port}/ok`, settings, context(pinned));
    expect(out).toMatchObject({ status: 'succeeded', http_status: 200 });
    expect(target.hits('/ok')).toBe(before + 1);
    expect(target.lastHost).toBe(`rebind.test:${target.port}`);
  });
});

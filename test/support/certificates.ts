import { generate } from 'selfsigned';

const DAY = 86_400_000;
const daysFromNow = (d: number) => new Date(Date.now() + d * DAY);

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestCertificates {
  /** The test CA, which the checks are told to trust. */
  ca: string;
  /** For localhost and 127.0.0.1, signed by the CA: valid for 200 days, expiring in 5 days, expired 2 days ago. */
  valid: KeyPair;
  expiring: KeyPair;
  expired: KeyPair;
  /** Valid dates, but signed by itself: not trusted. */
  selfSigned: KeyPair;
}

const serverExtensions = [
  { name: 'basicConstraints' as const, cA: false },
  { name: 'keyUsage' as const, digitalSignature: true, keyEncipherment: true },
  { name: 'extKeyUsage' as const, serverAuth: true },
  { name: 'subjectAltName' as const, altNames: [{ type: 2 as const, value: 'localhost' }, { type: 7 as const, ip: '127.0.0.1' }] },
];

/** Certificates made in the test (EC keys: fast to generate). */
export async function testCertificates(): Promise<TestCertificates> {
  const ca = await generate([{ name: 'commonName', value: 'SitePulse Test CA' }, { name: 'organizationName', value: 'SitePulse Tests' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: daysFromNow(-60),
    notAfterDate: daysFromNow(365),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = async (from: number, to: number, signed = true): Promise<KeyPair> => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: daysFromNow(from),
      notAfterDate: daysFromNow(to),
      extensions: serverExtensions,
      ...(signed && { ca: { key: ca.private, cert: ca.cert } }),
    });
    return { key: pems.private, cert: pems.cert };
  };
  return {
    ca: ca.cert,
    valid: await leaf(-1, 200),
    expiring: await leaf(-30, 5),
    expired: await leaf(-60, -2),
    selfSigned: await leaf(-1, 200, false),
  };
}

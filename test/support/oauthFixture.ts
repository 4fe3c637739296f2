import type { Fixture } from '../../src/fixtures/seed.js';

/** Two tenants and an unverified member: enough to show who may sign in, consent, and see what. */
export const OLIVE = { email: 'olive@acme.test', password: 'correct horse battery' };
export const BOB = { email: 'bob@globex.test', password: 'tr0ub4dor&3 staple' };
export const UNA = { email: 'una@acme.test', password: 'not verified yet' };

export const oauthFixture: Fixture = {
  users: [
    { email: OLIVE.email, name: 'Olive', password: OLIVE.password, email_verified: true },
    { email: BOB.email, name: 'Bob', password: BOB.password, email_verified: true },
    { email: UNA.email, name: 'Una', password: UNA.password, email_verified: false },
  ],
  teams: [
    {
      key: 'acme',
      name: 'Acme',
      plan: 'pro',
      members: [{ email: OLIVE.email, role: 'owner' }, { email: UNA.email, role: 'viewer' }],
      sites: [{ key: 'home', name: 'Acme home', url: 'https://acme.test' }],
    },
    {
      key: 'globex',
      name: 'Globex',
      plan: 'pro',
      members: [{ email: BOB.email, role: 'owner' }],
      sites: [{ key: 'hq', name: 'Globex HQ', url: 'https://globex.test' }],
    },
  ],
};

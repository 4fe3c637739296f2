import type { Fixture } from '../src/fixtures/seed.js';

export const BENCH_EMAIL = 'bench@sitepulse.test';
export const BENCH_TEAM = 'bench';

/** One verified user owning one team on an active plan, with `sites` monitored sites. */
export function benchFixture(sites: number): Fixture {
  return {
    users: [{ email: BENCH_EMAIL, name: 'Bench User' }],
    teams: [
      {
        key: BENCH_TEAM,
        name: 'Bench Team',
        plan: 'business',
        members: [{ email: BENCH_EMAIL, role: 'owner' }],
        sites: Array.from({ length: sites }, (_, i) => ({
          key: `site-${i + 1}`,
          name: `Site ${i + 1}`,
          url: `https://site-${i + 1}.example.com/`,
          status: 'up' as const,
        })),
      },
    ],
  };
}

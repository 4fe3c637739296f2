import type { Fixture } from '../../src/fixtures/seed.js';

/** Dimensions of the authorization matrix (issue 2) and a world that has one of everything. */
export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export const SUBSCRIPTIONS = ['active', 'trialing', 'grace', 'lapsed', 'none'] as const;
export type Role = (typeof ROLES)[number];
export type SubscriptionCase = (typeof SUBSCRIPTIONS)[number];

const DAY = 86_400_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

function subscription(s: SubscriptionCase) {
  switch (s) {
    case 'active':
      return { status: 'active' as const, ends_at: null, trial_ends_at: null };
    case 'trialing':
      return { status: 'trialing' as const, trial_ends_at: at(7 * DAY), ends_at: null };
    case 'grace':
      return { status: 'canceled' as const, ends_at: at(7 * DAY), trial_ends_at: null };
    case 'lapsed':
      return { status: 'canceled' as const, ends_at: at(-DAY), trial_ends_at: null };
    case 'none':
      return null;
  }
}

export const userEmail = (role: Role, verified: boolean) => `${role}-${verified ? 'verified' : 'unverified'}@matrix.test`;
export const teamKey = (s: SubscriptionCase, member: boolean) => `${s}-${member ? 'member' : 'stranger'}`;

/**
 * Users of every role, verified or not, all members of one team per subscription state ("member" teams);
 * and as many "stranger" teams they do not belong to. Each team has a site, a scheduled and a manual run,
 * and an open issue.
 */
export function matrixWorld(): Fixture {
  const users = ROLES.flatMap((role) => [true, false].map((verified) => ({ email: userEmail(role, verified), name: `${role} ${verified}`, email_verified: verified })));
  const outsider = { email: 'outsider@matrix.test', name: 'Outsider', email_verified: true };
  const teams = SUBSCRIPTIONS.flatMap((s) =>
    [true, false].map((member) => ({
      key: teamKey(s, member),
      name: `Team ${teamKey(s, member)}`,
      plan: 'business' as const,
      subscription: subscription(s),
      members: member
        ? users.map((u) => ({ email: u.email, role: u.email.split('-')[0] as Role }))
        : [{ email: outsider.email, role: 'owner' as const }],
      sites: [
        {
          key: 'site',
          name: 'Site',
          url: 'https://site.matrix.test',
          check_runs: [
            { check_type: 'uptime' as const, trigger: 'scheduled' as const, status: 'succeeded' as const, finished_at: at(-DAY) },
            { check_type: 'uptime' as const, trigger: 'manual' as const, status: 'failed' as const, finished_at: at(-DAY) },
          ],
          issues: [{ check_type: 'uptime' as const, severity: 'critical' as const, status: 'open' as const, title: 'Down' }],
        },
      ],
    })),
  );
  return { users: [...users, outsider], teams };
}

import type { SubscriptionStatus } from '../db/schema.js';

export interface SubscriptionState {
  status: SubscriptionStatus;
  trial_ends_at: Date | null;
  ends_at: Date | null;
}

/**
 * Active plan access (DESIGN §2): active; trialing until the trial ends; canceled until the paid period
 * ends (grace). past_due, a lapsed trial or grace period, or no subscription at all: no access.
 */
export function hasPlanAccess(sub: SubscriptionState | null, now: Date): boolean {
  if (!sub) return false;
  switch (sub.status) {
    case 'active':
      return true;
    case 'trialing':
      return sub.trial_ends_at !== null && sub.trial_ends_at > now;
    case 'canceled':
      return sub.ends_at !== null && sub.ends_at > now;
    case 'past_due':
      return false;
  }
}

export const SUBSCRIPTION_REQUIRED_MESSAGE = 'An active team subscription is required.';

/** The scopes a token may carry (exactly these; there is no `*`), with the words the consent page shows. */
export const SCOPES = {
  'teams:read': 'Read teams, plan limits and team monitoring defaults',
  'teams:write': 'Update team monitoring defaults (cadence, thresholds, escalation)',
  'sites:read': 'Read sites and site monitoring data',
  'sites:write': 'Create and update sites',
  'sites:delete': 'Delete sites',
  'checks:read': 'Read check runs and results',
  'checks:run': 'Queue manual check runs',
  'checks:delete': 'Delete manual check runs',
  'issues:read': 'Read issues (monitoring incidents)',
} as const;

export type Scope = keyof typeof SCOPES;
export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

/** What a client should ask for on first contact: the read-only set ("perfect for dashboards" in the v1 guide). */
export const DEFAULT_CHALLENGE_SCOPES: Scope[] = ['teams:read', 'sites:read', 'checks:read', 'issues:read'];

export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}

/** Splits and checks a requested scope list; unknown names are returned so the caller can refuse them. */
export function parseScopes(values: Iterable<string>): { scopes: Scope[]; unknown: string[] } {
  const scopes = new Set<Scope>();
  const unknown: string[] = [];
  for (const v of values) {
    if (isScope(v)) scopes.add(v);
    else unknown.push(v);
  }
  return { scopes: ALL_SCOPES.filter((s) => scopes.has(s)), unknown };
}

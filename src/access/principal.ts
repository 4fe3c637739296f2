import type { BearerTokenKind } from '../db/schema.js';
import type { Membership } from '../domain/teams.js';
import type { Scope } from './scopes.js';

/** Who is calling, however they signed in: a bearer fallback token and an OAuth access token look alike here. */
export interface Principal {
  user: { id: number; email: string; name: string; email_verified: boolean };
  token: {
    id: number;
    kind: BearerTokenKind;
    name: string;
    scopes: ReadonlySet<Scope>;
    expires_at: Date;
  };
  memberships: Membership[];
}

/** Why a presented credential was not accepted; every one of these is a 401 to the client. */
export type TokenRejection = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'wrong_audience';

export type Authentication = { ok: true; principal: Principal } | { ok: false; reason: TokenRejection };

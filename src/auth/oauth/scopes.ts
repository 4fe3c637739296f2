import { parseScopes } from '../../access/scopes.js';

/**
 * A client's `scope` parameter. `offline_access` (OpenID's ask for a refresh token, which some clients add
 * out of habit) is accepted and dropped: every grant here gets a refresh token anyway. Anything else
 * unknown is returned so the caller refuses it with invalid_scope.
 */
export function requestedScopes(scope: string | undefined) {
  return parseScopes((scope ?? '').split(' ').filter((s) => s && s !== 'offline_access'));
}

/**
 * An OAuth error response (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707 §2): the code a client acts on, a
 * sentence for the person reading its log, and the HTTP status the endpoint answers with.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'temporarily_unavailable';

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status = code === 'invalid_client' ? 401 : 400,
  ) {
    super(description);
  }

  toJSON() {
    return { error: this.code, error_description: this.description };
  }
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque secrets with a kind prefix, so secret scanners can recognise them: `spm_` MCP fallback token,
 * `spa_` OAuth access token, `spr_` OAuth refresh token. 32 random bytes, base64url: 43 characters.
 */
export const PREFIXES = { mcp: 'spm_', oauth_access: 'spa_', oauth_refresh: 'spr_' } as const;
export type SecretKind = keyof typeof PREFIXES;

const SECRET_RE = /^sp[mar]_[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url: codes, session cookies and other secrets that need no kind prefix. */
export function randomHandle(): string {
  return randomBytes(32).toString('base64url');
}

export function newSecret(kind: SecretKind): string {
  return PREFIXES[kind] + randomHandle();
}

/** Only this digest is stored. A 256-bit random secret needs no salt or slow hash. */
export function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function looksLikeSecret(value: string): boolean {
  return SECRET_RE.test(value);
}

export function kindOf(secret: string): SecretKind | undefined {
  return (Object.keys(PREFIXES) as SecretKind[]).find((k) => secret.startsWith(PREFIXES[k]));
}

export function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

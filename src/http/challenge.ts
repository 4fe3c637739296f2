import type { Config } from '../config.js';

export const resourceMetadataUrl = (config: Config) => `${config.publicUrl}/.well-known/oauth-protected-resource/mcp`;

/** RFC 6750 allows only printable ASCII without `"` and `\` inside a quoted parameter. */
const quoted = (v: string) => `"${v.replace(/→/g, '>').replace(/[^\x20-\x7e]|["\\]/g, '')}"`;

/** RFC 6750 §3 challenge with the RFC 9728 `resource_metadata` pointer the MCP authorization spec asks for. */
export function bearerChallenge(config: Config, params: { error: string; description: string; scope: Iterable<string> }): string {
  return [
    `Bearer error=${quoted(params.error)}`,
    `error_description=${quoted(params.description)}`,
    `scope=${quoted([...params.scope].join(' '))}`,
    `resource_metadata=${quoted(resourceMetadataUrl(config))}`,
  ].join(', ');
}

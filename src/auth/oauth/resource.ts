/**
 * RFC 8707 resource indicators name this server's /mcp. Scheme and host case do not matter (the MCP spec
 * asks servers to accept upper case there); everything else must be exact.
 */
export function isThisResource(requested: string, resource: string): boolean {
  try {
    const url = new URL(requested);
    return !url.hash && url.href === new URL(resource).href;
  } catch {
    return false;
  }
}

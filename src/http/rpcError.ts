import type { Response } from 'express';

/**
 * Failures answered before MCP runs (authentication, scope, origin, bad JSON) still speak JSON-RPC, so an
 * MCP client can show the message. `data` carries the HTTP status and a stable code.
 */
export const RPC = { parseError: -32700, invalidRequest: -32600, accessDenied: -32001 } as const;

export function sendRpcError(
  res: Response,
  status: number,
  rpcCode: number,
  code: string,
  message: string,
  id: string | number | null = null,
): void {
  res.status(status).json({ jsonrpc: '2.0', id, error: { code: rpcCode, message, data: { status, code } } });
}

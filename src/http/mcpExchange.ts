import type { Response } from 'express';
import { isJSONRPCNotification, isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Principal } from '../access/principal.js';
import type { MultiplexTransport } from '../mcp/transport.js';

/**
 * Answers the JSON-RPC messages of one POST: notifications get 202; requests get one JSON body (an array
 * for a batch), or, when a tools/call asked for progress, an SSE stream of its notifications then the answer.
 */
export async function answer(
  transport: MultiplexTransport,
  principal: Principal,
  messages: { list: JSONRPCMessage[]; batch: boolean; stream: boolean },
  res: Response,
): Promise<void> {
  for (const m of messages.list) if (isJSONRPCNotification(m)) transport.notification(m, principal);
  const requests = messages.list.filter(isJSONRPCRequest);
  if (!requests.length) return void res.status(202).end();

  const write = (m: JSONRPCMessage) => res.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`);
  if (messages.stream) res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const pending = requests.map((r) => transport.request(r, principal, messages.stream ? write : undefined));
  res.on('close', () => pending.forEach((p) => p.cancel()));
  const responses = await Promise.all(pending.map((p) => (messages.stream ? p.response.then((m) => (write(m), m)) : p.response)));
  if (messages.stream) res.end();
  else res.json(messages.batch ? responses : responses[0]);
}

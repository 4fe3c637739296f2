import type { Response } from 'express';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Principal } from '../access/principal.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../log.js';
import { respond, type MessageSchema } from '../mcp/server.js';
import type { z } from 'zod';

type Message = z.infer<typeof MessageSchema>;
type Request = Message & { method: string; id: string | number };

const isRequest = (m: Message): m is Request => 'method' in m && m.id !== undefined;

/**
 * Answers the JSON-RPC messages of one POST: notifications and responses get 202; requests get one JSON
 * body (an array for a batch), or, when a tools/call asked for progress, an SSE stream of its
 * notifications followed by the answers.
 */
export async function answer(
  deps: { db: Db; log: Logger; principal: Principal },
  messages: { list: Message[]; batch: boolean; stream: boolean },
  res: Response,
): Promise<void> {
  const requests = messages.list.filter(isRequest);
  if (!requests.length) return void res.status(202).end();

  const hangUp = new AbortController();
  // 'close' also follows every finished response; only a client that left before the answer aborts.
  res.on('close', () => res.writableFinished || hangUp.abort());
  const write = (m: JSONRPCMessage) => res.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`);
  if (messages.stream) res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  const exchange = { ...deps, signal: hangUp.signal, notify: messages.stream ? write : undefined };
  const responses = await Promise.all(requests.map((r) => respond(r, exchange).then((m) => (messages.stream && write(m), m))));
  if (messages.stream) res.end();
  // Written directly: express's res.json would also hash the body for an ETag nobody uses on a POST.
  else res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(messages.batch ? responses : responses[0]));
}

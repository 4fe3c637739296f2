import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { Principal } from '../access/principal.js';

interface Waiter {
  originalId: RequestId;
  answer: (message: JSONRPCMessage) => void;
  notify?: ((notification: JSONRPCNotification) => void) | undefined;
}

/**
 * One SDK `Server` serves every /mcp request of this process through this transport, instead of a new
 * server and HTTP transport per request (measured: most of the SDK's per-request cost is building those).
 * /mcp is stateless, so requests from many clients interleave here: each request gets an internal id
 * (clients' ids collide), its answer is routed back to the HTTP exchange waiting for it under the id the
 * client sent, and notifications the handler sends (progress) go to that exchange too. Who is calling
 * travels with each message as `authInfo.extra.principal`.
 */
export class MultiplexTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private sequence = 0;
  private readonly waiting = new Map<RequestId, Waiter>();

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.waiting.clear();
    this.onclose?.();
  }

  /** Hands one request to the server; resolves with its response (under the client's id). */
  request(message: JSONRPCRequest, principal: Principal, notify?: Waiter['notify']): { response: Promise<JSONRPCMessage>; cancel: () => void } {
    const id = ++this.sequence;
    const response = new Promise<JSONRPCMessage>((answer) => this.waiting.set(id, { originalId: message.id, answer, notify }));
    this.deliver({ ...message, id }, principal);
    // A client that hangs up cancels its request, so a long wait (run_check) stops early.
    const cancel = () => {
      if (!this.waiting.delete(id)) return;
      this.deliver({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'client disconnected' } }, principal);
    };
    return { response, cancel };
  }

  /** Notifications from the client have no answer. */
  notification(message: JSONRPCNotification, principal: Principal): void {
    // A cancellation names the client's id, which means nothing here; the hang-up path cancels instead.
    if (message.method !== 'notifications/cancelled') this.deliver(message, principal);
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      const waiter = message.id === undefined ? undefined : this.waiting.get(message.id);
      if (!waiter) return; // the client has gone
      this.waiting.delete(message.id!);
      waiter.answer({ ...message, id: waiter.originalId });
    } else if (!isJSONRPCRequest(message) && options?.relatedRequestId !== undefined) {
      this.waiting.get(options.relatedRequestId)?.notify?.(message as JSONRPCNotification);
    }
    // Requests to the client (sampling, elicitation) are never made: there is no channel back for them.
  }

  private deliver(message: JSONRPCMessage, principal: Principal): void {
    this.onmessage?.(message, { authInfo: { token: '', clientId: '', scopes: [...principal.token.scopes], extra: { principal } } });
  }
}

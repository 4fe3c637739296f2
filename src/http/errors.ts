import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../log.js';
import { MAX_BODY } from './mcpRoute.js';
import { RPC, sendRpcError } from './rpcError.js';

type BodyParserError = Error & { type?: string; status?: number };

/** The last middleware: bad bodies get their 4xx, anything else a 500 with an event id found in the log. */
export function errorHandler(log: Logger) {
  return (err: BodyParserError, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return void res.end();
    switch (err.type) {
      case 'entity.parse.failed':
        return sendRpcError(res, 400, RPC.parseError, 'parse_error', 'The request body is not valid JSON.');
      case 'entity.too.large':
        return sendRpcError(res, 413, RPC.invalidRequest, 'body_too_large', `The request body is larger than ${MAX_BODY}.`);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return sendRpcError(res, 415, RPC.invalidRequest, 'unsupported_encoding', 'Send the body as UTF-8 JSON.');
    }
    if (err.status && err.status >= 400 && err.status < 500) {
      return sendRpcError(res, err.status, RPC.invalidRequest, 'bad_request', 'The request could not be read.');
    }
    const eventId = randomUUID();
    log.error({ err, eventId }, 'unhandled error');
    sendRpcError(res, 500, RPC.invalidRequest, 'internal', `Something went wrong on our side (event ${eventId}).`);
  };
}

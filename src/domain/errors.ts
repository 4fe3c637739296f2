/**
 * A failure a caller can act on: the HTTP-style status and code of DESIGN §3, a message for a person,
 * and optional field details. Anything that is not an AppError is an internal fault.
 */
export type ErrorCode =
  | 'not_found'
  | 'subscription_required'
  | 'forbidden'
  | 'validation_failed'
  | 'plan_limit_exceeded'
  | 'rate_limited'
  | 'conflict';

const STATUS: Record<ErrorCode, number> = {
  not_found: 404,
  subscription_required: 402,
  forbidden: 403,
  validation_failed: 422,
  plan_limit_exceeded: 422,
  rate_limited: 429,
  conflict: 409,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.status = STATUS[code];
  }

  toJSON() {
    return { status: this.status, code: this.code, message: this.message, ...(this.details && { details: this.details }) };
  }
}

/** The one answer for "no such thing" and "not yours": byte-identical, so ids of other tenants leak nothing. */
export function notFound(noun: string, id: number): AppError {
  return new AppError('not_found', `${noun} ${id} was not found.`);
}

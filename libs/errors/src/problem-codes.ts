/**
 * Every stable `code` a paychat response can carry, with its HTTP status.
 * Clients switch on `code`, never on `title` or `detail`; codes are only ever added.
 */
export const PROBLEM_STATUS = {
  // generic: any endpoint may answer these
  validation_failed: 400,
  invalid_path: 400,
  malformed_json: 400,
  idempotency_key_required: 400,
  invalid_code: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  no_shared_chat: 403,
  blocked: 403,
  kyc_required: 403,
  user_not_confirmed: 403,
  password_reset_required: 403,
  not_found: 404,
  recipient_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  handle_taken: 409,
  idempotency_key_in_use: 409,
  request_not_pending: 409,
  already_reversed: 409,
  bank_account_in_use: 409,
  event_not_rejected: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  idempotency_key_reused: 422,
  insufficient_funds: 422,
  self_transfer: 422,
  recipient_unavailable: 422,
  bank_account_not_verified: 422,
  bank_declined: 422,
  limit_exceeded: 422,
  not_direct_conversation: 422,
  not_group_conversation: 422,
  member_limit_exceeded: 422,
  account_frozen: 423,
  rate_limited: 429,
  too_many_in_flight: 429,
  internal_error: 500,
  upstream_unavailable: 503,
  service_unavailable: 503,
  upstream_timeout: 504,
} as const;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

const GENERIC_BY_STATUS: Record<number, ProblemCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'service_unavailable',
  504: 'upstream_timeout',
};

/** The generic code for a status that carries no domain code (e.g. Nest's own NotFoundException). */
export function genericCodeFor(status: number): ProblemCode {
  return GENERIC_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'validation_failed');
}

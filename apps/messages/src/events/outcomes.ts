import type { ChatEventResult } from '@paychat/contracts';
import { AppError } from '@paychat/errors';

/** An event's result without its id (the use case pairs them up in request order). */
export type Outcome = Omit<ChatEventResult, 'id'>;

export const APPLIED: Outcome = { outcome: 'applied' };
export const DUPLICATE: Outcome = { outcome: 'duplicate' };
/** For the events of a chat after one that failed: not tried, so they cannot overtake it. */
export const NOT_TRIED: Outcome = {
  outcome: 'failed',
  code: 'service_unavailable',
  detail: 'Not tried: an earlier event of this chat failed',
};

/**
 * A 4xx AppError can never apply as sent (`rejected`, with its code and the fields at fault);
 * anything else is transient (`failed`: DynamoDB slow or down), retried soon by the relay.
 */
export function outcomeOf(err: unknown): Outcome {
  if (err instanceof AppError) {
    const fields = err.errors?.length ? `: ${err.errors.map((e) => e.field).join(', ')}` : '';
    const detail = `${err.detail ?? err.code}${fields}`;
    return { outcome: err.status < 500 ? 'rejected' : 'failed', code: err.code, detail };
  }
  return { outcome: 'failed', code: 'service_unavailable', detail: (err as Error).name };
}

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  driverError?: unknown;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** `err` and the errors it wraps (`cause`, TypeORM's `driverError`), innermost first. */
function innermostFirst(err: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let e = err as ErrorLike | undefined;
  while (e && typeof e === 'object' && !chain.includes(e)) {
    chain.unshift(e);
    e = (e.cause ?? e.driverError) as ErrorLike | undefined;
  }
  return chain;
}

/** The innermost cause's code and message, e.g. "ECONNREFUSED: connect ECONNREFUSED 10.0.1.5:3306" (for logs). */
export function rootCause(err: unknown): string {
  const [inner] = innermostFirst(err);
  return [inner?.code, inner?.message].filter(isText).join(': ');
}

const MAX_REASON_LENGTH = 200;
/** A URL may carry credentials (`redis://:password@host`): never shown, whatever else a message says. */
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

/** A message as shown beside a failing dependency: no URL, and short. */
export function safeReason(message: string): string {
  return message.replace(URL_PATTERN, '[url]').slice(0, MAX_REASON_LENGTH);
}

/**
 * Why something failed, short enough for a readiness answer and safe to show: the innermost error
 * code (ECONNREFUSED, ER_ACCESS_DENIED_ERROR), else a specific error name (TimeoutError,
 * ResourceNotFoundException), else the message with any URL removed. Never a stack trace.
 */
export function failureReason(err: unknown): string {
  const chain = innermostFirst(err);
  const code = chain.map((e) => e.code).find(isText);
  if (code) return code;
  const name = chain.map((e) => e.name).find((n): n is string => isText(n) && n !== 'Error');
  if (name) return name;
  return safeReason(chain.map((e) => e.message).find(isText) ?? String(err));
}

import { registerDecorator } from 'class-validator';

/** Stricter tiers for sign-in and for moving money; lookups (find a friend) have their own. */
export const TIERS = ['default', 'auth', 'money', 'lookup'] as const;
export type Tier = (typeof TIERS)[number];

export interface TierLimits {
  /** Requests per window from one IP address. */
  perIp: number;
  /** Requests per window by one signed-in user (absent for tiers used without a token). */
  perUser?: number;
  /**
   * Requests per window naming one account (the email of a sign-in, sign-up or password reset),
   * whichever addresses they come from; absent: the tier's `perIp`.
   */
  perAccount?: number;
}

export type RateLimits = Record<Tier, TierLimits>;

/**
 * The local stack's defaults never throttle a load test from one machine (≥ 100,000 a minute per
 * IP, ≥ 20,000 per user, 1,000 sign-ins per account). Production sets real numbers in IaC; tests
 * set tiny ones.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  default: { perIp: 200_000, perUser: 40_000 },
  auth: { perIp: 100_000, perAccount: 1_000 },
  money: { perIp: 100_000, perUser: 20_000 },
  lookup: { perIp: 100_000, perUser: 20_000 },
};

const positive = (n: unknown) => n === undefined || (Number.isSafeInteger(n) && (n as number) > 0);

function isValid(json: unknown): boolean {
  try {
    const limits = JSON.parse(String(json)) as RateLimits;
    return TIERS.every(
      (t) =>
        Number.isSafeInteger(limits[t]?.perIp) &&
        limits[t].perIp > 0 &&
        positive(limits[t].perUser) &&
        positive(limits[t].perAccount),
    );
  } catch {
    return false;
  }
}

/** RATE_LIMITS must be JSON giving every tier a positive `perIp` (and optionally `perUser`, `perAccount`). */
export function IsRateLimits(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRateLimits',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `RATE_LIMITS must be JSON {${TIERS.map((t) => `"${t}":{"perIp":n,"perUser"?:n,"perAccount"?:n}`).join(',')}} of positive integers`,
      },
      validator: { validate: isValid },
    });
}

const MONEY_POST =
  /^\/(v2\/wallet\/(transfers|charges|withdrawals|payments|atm-sessions|requests\/[^/]+\/pay)|v2\/conversations\/[^/]+\/transfers|admin\/v2\/transfers\/[^/]+\/reversals)$/;

/** Which limits a request counts against, by its decoded path (see routerPath). */
export function tierOf(method: string, path: string): Tier {
  if (path.startsWith('/v2/auth/') || path === '/v1/login') return 'auth';
  if (method === 'POST' && MONEY_POST.test(path)) return 'money';
  if (path.startsWith('/v2/users/')) return 'lookup';
  return 'default';
}

import { registerDecorator, ValidationOptions } from 'class-validator';

export type KycLevel = 'none' | 'verified';
export const KYC_LEVELS: readonly KycLevel[] = ['none', 'verified'];

export interface LevelLimits {
  /** Largest single transfer, payment or withdrawal. */
  perOperation: number;
  /** Sum of outflows (transfers, payments, withdrawals) per JST calendar day… */
  daily: number;
  /** …and per JST calendar month. */
  monthly: number;
  /** A wallet may never hold more. */
  maxBalance: number;
}

export type KycLimits = Record<KycLevel, LevelLimits>;

/** Defaults in the spirit of Japan's prepaid-wallet rules: small until identity is verified. */
export const DEFAULT_KYC_LIMITS: KycLimits = {
  none: { perOperation: 100_000, daily: 200_000, monthly: 500_000, maxBalance: 1_000_000 },
  verified: { perOperation: 1_000_000, daily: 2_000_000, monthly: 10_000_000, maxBalance: 10_000_000 },
};

export function parseKycLimits(json: string): KycLimits {
  return JSON.parse(json) as KycLimits;
}

function isValid(json: unknown): boolean {
  try {
    const limits = parseKycLimits(String(json));
    return KYC_LEVELS.every((level) =>
      (['perOperation', 'daily', 'monthly', 'maxBalance'] as const).every(
        (k) => Number.isSafeInteger(limits[level]?.[k]) && limits[level][k] > 0,
      ),
    );
  } catch {
    return false;
  }
}

/** KYC_LIMITS must be JSON giving every level all four positive integer limits. */
export function IsKycLimits(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isKycLimits',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          'KYC_LIMITS must be JSON {"none":{perOperation,daily,monthly,maxBalance},"verified":{…}} of positive integers',
        ...options,
      },
      validator: { validate: isValid },
    });
}

const JST_OFFSET_MS = 9 * 3_600_000;

/** Start of the JST day and month containing `now`, as UTC instants (Japan has no DST). */
export function jstPeriods(now: Date): { dayStart: Date; monthStart: Date } {
  const jst = new Date(now.getTime() + JST_OFFSET_MS);
  const day = Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth(), jst.getUTCDate());
  const month = Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth(), 1);
  return { dayStart: new Date(day - JST_OFFSET_MS), monthStart: new Date(month - JST_OFFSET_MS) };
}
